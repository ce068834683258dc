package org.sovereign.packs.template;

import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.util.ForLoop;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;
import jinjava.javax.el.ELResolver;

import java.beans.FeatureDescriptor;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps templates (which come from untrusted packs) away from Java: placed before Jinjava's own resolver, it lets
 * through only dictionary keys, list indexes, the loop variable's attributes and the few Python methods templates
 * call on dictionaries; any other method call fails, and any other attribute of a value is undefined (as Python
 * Jinja2 reports an attribute a value does not have). Java methods such as {@code 'abc'.getBytes()} or
 * {@code x.getClass()} are therefore unreachable.
 */
final class SandboxResolver extends ELResolver {

    private static final Set<String> DICT_METHODS = Set.of("items", "keys", "values", "get");

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (base == null || method == null) {
            return null;
        }
        String name = method.toString();
        if ((base instanceof Filter && "filter".equals(name))
                || (base instanceof ExpTest && name.startsWith("evaluate"))) {
            return null; // Jinjava calls its filters and tests ("x | upper", "x is defined") this way
        }
        if (base instanceof Map<?, ?> && DICT_METHODS.contains(name)) {
            return null; // Jinjava's PyMap / Map methods answer these
        }
        throw new ELException("'" + PythonValues.typeName(base) + "' object has no callable attribute '" + name
                + "' in chat templates");
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        if (base instanceof ForLoop loop && ("previtem".equals(property) || "nextitem".equals(property))) {
            context.setPropertyResolved(true);
            return PythonForTag.neighbour(loop, property.toString());
        }
        if (base == null || base instanceof Map<?, ?> || base instanceof ForLoop) {
            return null;
        }
        if ((base instanceof List<?> || base.getClass().isArray() || base instanceof CharSequence)
                && isIndex(property)) {
            return null;
        }
        context.setPropertyResolved(true);
        return null;
    }

    /** A list or string index as Jinjava passes it (a number, or its text for bracket literals). */
    private static boolean isIndex(Object property) {
        if (property instanceof Number || PythonSlices.Slice.parse(property) != null) {
            return true;
        }
        return property instanceof CharSequence text && text.toString().matches("-?\\d{1,10}");
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        if (base != null && !(base instanceof Map<?, ?>)) {
            throw new ELException("cannot set attributes of a '" + PythonValues.typeName(base) + "' in chat templates");
        }
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return false;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return Collections.emptyIterator();
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
