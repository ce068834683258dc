package org.sovereign.packs.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.ForTag;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.parse.TagToken;
import com.hubspot.jinjava.util.ForLoop;
import com.hubspot.jinjava.util.ObjectIterator;
import com.hubspot.jinjava.util.ObjectTruthValue;
import org.apache.commons.lang3.tuple.Pair;

import java.lang.reflect.Field;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Jinja's {@code for} with two things Jinjava's lacks: the filter clause ({@code for k, v in d.items() if k != 'x'},
 * which Jinjava silently ignores; as in Jinja the filter runs first, so {@code loop.index} and {@code loop.last}
 * count only the kept items) and {@code loop.previtem} / {@code loop.nextitem} (answered by
 * {@link #neighbour(ForLoop, String)}).
 */
final class PythonForTag extends ForTag {

    private static final long serialVersionUID = 1L;
    private static final Field LOOP_ITERATOR = loopIteratorField();

    @Override
    public String interpretUnchecked(TagNode tagNode, JinjavaInterpreter interpreter) {
        Pair<List<String>, String> parts = getLoopVarsAndExpression((TagToken) tagNode.getMaster());
        List<String> loopVars = parts.getLeft();
        String expression = parts.getRight();
        int ifAt = topLevelIf(expression);
        String iterable = ifAt < 0 ? expression : expression.substring(0, ifAt);
        String condition = ifAt < 0 ? null : expression.substring(ifAt + 4);
        Object collection = interpreter.resolveELExpression(iterable, tagNode.getLineNumber());
        List<Object> items = new ArrayList<>();
        ForLoop all = ObjectIterator.getLoop(collection);
        while (all.hasNext()) {
            RenderGuard.step();
            Object item = all.next();
            if (condition == null || accepts(item, loopVars, condition, tagNode, interpreter)) {
                items.add(item);
            }
        }
        return renderForCollection(tagNode, interpreter, loopVars, new Items(items));
    }

    private static boolean accepts(Object item, List<String> loopVars, String condition, TagNode tagNode,
                                   JinjavaInterpreter interpreter) {
        try (JinjavaInterpreter.InterpreterScopeClosable scope = interpreter.enterScope()) {
            if (loopVars.size() == 1) {
                interpreter.getContext().put(loopVars.get(0), item);
            } else {
                List<Object> values = unpack(item);
                for (int i = 0; i < loopVars.size(); i++) {
                    interpreter.getContext().put(loopVars.get(i), i < values.size() ? values.get(i) : null);
                }
            }
            return ObjectTruthValue.evaluate(interpreter.resolveELExpression(condition, tagNode.getLineNumber()));
        }
    }

    private static List<Object> unpack(Object item) {
        if (item instanceof Map.Entry<?, ?> entry) {
            List<Object> pair = new ArrayList<>();
            pair.add(entry.getKey());
            pair.add(entry.getValue());
            return pair;
        }
        if (item instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        List<Object> one = new ArrayList<>();
        one.add(item);
        return one;
    }

    /** Index of {@code " if "} outside brackets and string literals, or -1. */
    static int topLevelIf(String expression) {
        int depth = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '\'' || c == '"') {
                int j = i + 1;
                while (j < expression.length() && expression.charAt(j) != c) {
                    j += expression.charAt(j) == '\\' ? 2 : 1;
                }
                i = j;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (depth == 0 && expression.startsWith(" if ", i)) {
                return i;
            }
        }
        return -1;
    }

    /** The kept items of one loop; its iterator tells {@code loop.previtem} and {@code loop.nextitem} where it is. */
    private static final class Items extends AbstractList<Object> {
        private final List<Object> items;

        Items(List<Object> items) {
            this.items = items;
        }

        @Override
        public Object get(int index) {
            return items.get(index);
        }

        @Override
        public int size() {
            return items.size();
        }

        @Override
        public Iterator<Object> iterator() {
            return new ItemsIterator(items);
        }
    }

    private static final class ItemsIterator implements Iterator<Object> {
        private final List<Object> items;
        private int next;

        ItemsIterator(List<Object> items) {
            this.items = items;
        }

        @Override
        public boolean hasNext() {
            return next < items.size();
        }

        @Override
        public Object next() {
            return items.get(next++);
        }
    }

    /**
     * {@code loop.previtem} or {@code loop.nextitem} of a loop this tag runs ({@code null}, i.e. undefined, at the
     * ends, as in Jinja); {@code null} also for loops it does not know.
     */
    static Object neighbour(ForLoop loop, String which) {
        if (LOOP_ITERATOR == null) {
            return null;
        }
        Object iterator;
        try {
            iterator = LOOP_ITERATOR.get(loop);
        } catch (IllegalAccessException e) {
            return null;
        }
        if (!(iterator instanceof ItemsIterator items)) {
            return null;
        }
        int current = items.next - 1;
        int wanted = "previtem".equals(which) ? current - 1 : current + 1;
        return wanted >= 0 && wanted < items.items.size() ? items.items.get(wanted) : null;
    }

    private static Field loopIteratorField() {
        try {
            Field field = ForLoop.class.getDeclaredField("it");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
