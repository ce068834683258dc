package org.sovereign.packs.template;

import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.el.TruthyTypeConverter;
import com.hubspot.jinjava.el.ext.AstNamedParameter;
import com.hubspot.jinjava.el.ext.AstTuple;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.el.ext.StringConcatOperator;
import com.hubspot.jinjava.objects.collections.PyList;
import com.hubspot.jinjava.util.ObjectTruthValue;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.misc.NumberOperations;
import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.TreeStore;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.de.odysseus.el.tree.impl.Cache;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.Scanner;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstIdentifier;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstParameters;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;
import jinjava.javax.el.ExpressionFactory;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Jinjava's expression language with three Python Jinja2 semantics it lacks, added where Jinjava builds its
 * expression trees (a parser subclass, no template rewriting):
 * <ul>
 *   <li>{@code %}: printf-style formatting when the left operand is a string ({@link PythonPercentFormat}),
 *   Python's floored modulo when both are numbers;</li>
 *   <li>{@code ~}: concatenation of Python {@code str()} values ({@code 'a' ~ true} is {@code aTrue});</li>
 *   <li>tuple literals evaluate to {@link PythonValues.Tuple}, so {@code '%s %s' % (a, b)} spreads and
 *   {@code {{ (1, 2) }}} prints {@code (1, 2)}.</li>
 * </ul>
 */
final class PythonSyntax {

    private static final int TREE_CACHE_SIZE = 512;

    private PythonSyntax() {
    }

    /**
     * An expression factory like Jinjava's standard one (JEE6 features, Jinjava's truthiness) whose parser has the
     * Python semantics above. Jinjava 2.8 has no configuration option for this, only {@code getExpressionFactory()}.
     */
    static ExpressionFactory expressionFactory() {
        Builder builder = new PythonSyntaxBuilder(Builder.Feature.METHOD_INVOCATIONS, Builder.Feature.VARARGS);
        return new ExpressionFactoryImpl(new TreeStore(builder, new Cache(TREE_CACHE_SIZE)), new TruthyTypeConverter());
    }

    private static final class PythonSyntaxBuilder extends ExtendedSyntaxBuilder {
        private static final long serialVersionUID = 1L;

        PythonSyntaxBuilder(Builder.Feature... features) {
            super(features);
        }

        @Override
        protected Parser createParser(String expression) {
            return new PythonParser(this, expression);
        }
    }

    private static final class PythonParser extends ExtendedParser {
        PythonParser(Builder context, String input) {
            super(context, input);
            Parser.ExtensionPoint concatPoint = StringConcatOperator.HANDLER.getExtensionPoint();
            putExtensionHandler(StringConcatOperator.TOKEN, new Parser.ExtensionHandler(concatPoint) {
                @Override
                public AstNode createAstNode(AstNode... children) {
                    return new AstBinary(children[0], children[1], CONCAT);
                }
            });
        }

        @Override
        protected AstBinary createAstBinary(AstNode left, AstNode right, AstBinary.Operator operator) {
            AstBinary.Operator python = operator == AstBinary.MOD ? PERCENT
                    : operator == AstBinary.AND ? AND
                    : operator == AstBinary.OR ? OR
                    : operator == AstBinary.MUL ? MUL
                    : operator;
            return super.createAstBinary(left, right, python);
        }

        /** Python's empty tuple {@code ()}, which Jinjava reads as an empty parenthesised expression. */
        @Override
        protected AstNode nonliteral() throws Scanner.ScanException, ParseException {
            if (getToken().getSymbol() == Scanner.Symbol.LPAREN && lookahead(0).getSymbol() == Scanner.Symbol.RPAREN) {
                return createAstTuple(params());
            }
            return super.nonliteral();
        }

        /**
         * Jinjava's list of parameters, also accepting Python's trailing comma ({@code (a,)}, {@code [1, 2,]}) and
         * keyword arguments whose value is a whole expression: {@code namespace(a=messages|length - 1)} (Jinjava
         * binds {@code a=messages|length} first and then fails to subtract from it).
         */
        @Override
        protected AstParameters params(Scanner.Symbol left, Scanner.Symbol right)
                throws Scanner.ScanException, ParseException {
            consumeToken(left);
            List<AstNode> items = new ArrayList<>();
            AstNode item = keywordOrExpr();
            while (item != null) {
                items.add(item);
                if (getToken().getSymbol() != Scanner.Symbol.COMMA) {
                    break;
                }
                consumeToken();
                item = keywordOrExpr();
            }
            consumeToken(right);
            return createAstParameters(items);
        }

        private AstNode keywordOrExpr() throws Scanner.ScanException, ParseException {
            if (getToken().getSymbol() == Scanner.Symbol.IDENTIFIER
                    && lookahead(0).getSymbol() == Scanner.Symbol.EXTENSION && "=".equals(lookahead(0).getImage())) {
                String name = getToken().getImage();
                consumeToken();
                consumeToken();
                AstNode value = expr(true);
                return new AstNamedParameter(new AstIdentifier(name, 0), value);
            }
            return expr(false);
        }

        @Override
        protected AstTuple createAstTuple(AstParameters parameters) throws Scanner.ScanException, ParseException {
            return new AstTuple(parameters) {
                @Override
                public Object eval(Bindings bindings, ELContext context) {
                    Object value = super.eval(bindings, context);
                    return value instanceof PyList list ? new PythonValues.Tuple(list.toList()) : value;
                }
            };
        }
    }

    /** Jinja2's {@code %}: string formatting for a string left operand, else Python's modulo. */
    static final AstBinary.Operator PERCENT = new AstBinary.Operator() {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object a = left.eval(bindings, context);
            Object b = right.eval(bindings, context);
            if (a instanceof CharSequence format) {
                try {
                    return PythonPercentFormat.format(format.toString(), b);
                } catch (IllegalArgumentException e) {
                    throw new ELException("TypeError in '" + format + "' % ...: " + e.getMessage(), e);
                }
            }
            Number x = pythonNumber(a);
            Number y = pythonNumber(b);
            if (x != null && y != null) {
                return pythonModulo(x, y);
            }
            return NumberOperations.mod(bindings, a, b);
        }

        @Override
        public String toString() {
            return "%";
        }
    };

    /** Python's {@code and}: the left operand when it is falsy, else the right one ({@code true and 'x'} is 'x'). */
    static final AstBinary.Operator AND = new AstBinary.Operator() {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object a = left.eval(bindings, context);
            return ObjectTruthValue.evaluate(a) ? right.eval(bindings, context) : a;
        }

        @Override
        public String toString() {
            return "and";
        }
    };

    /** Python's {@code or}: the left operand when it is truthy, else the right one. */
    static final AstBinary.Operator OR = new AstBinary.Operator() {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object a = left.eval(bindings, context);
            return ObjectTruthValue.evaluate(a) ? a : right.eval(bindings, context);
        }

        @Override
        public String toString() {
            return "or";
        }
    };

    /** Python's {@code *}, with string repetition ({@code '-' * 3}), bounded like every string a template builds. */
    static final AstBinary.Operator MUL = new AstBinary.Operator() {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object a = left.eval(bindings, context);
            Object b = right.eval(bindings, context);
            if (a instanceof CharSequence text && PythonValues.asInteger(b) != null) {
                return repeat(text.toString(), PythonValues.asInteger(b));
            }
            if (b instanceof CharSequence text && PythonValues.asInteger(a) != null) {
                return repeat(text.toString(), PythonValues.asInteger(a));
            }
            return NumberOperations.mul(bindings, a, b);
        }

        private String repeat(String text, BigInteger times) {
            if (times.signum() <= 0 || text.isEmpty()) {
                return "";
            }
            BigInteger length = times.multiply(BigInteger.valueOf(text.length()));
            RenderGuard.checkString(length.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue());
            if (length.bitLength() > 31) {
                throw new ELException("MemoryError: repeated string is too long");
            }
            return text.repeat(times.intValue());
        }

        @Override
        public String toString() {
            return "*";
        }
    };

    /** Jinja2's {@code ~}: {@code str(a) + str(b)}, with {@code null} (undefined) as the empty string. */
    static final AstBinary.Operator CONCAT = new AstBinary.Operator() {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object a = left.eval(bindings, context);
            Object b = right.eval(bindings, context);
            String x = a == null ? "" : PythonValues.str(a);
            String y = b == null ? "" : PythonValues.str(b);
            RenderGuard.checkString((long) x.length() + y.length());
            return x + y;
        }

        @Override
        public String toString() {
            return "~";
        }
    };

    /** A Python int or float (a bool counts as an int), else {@code null}. */
    private static Number pythonNumber(Object value) {
        if (PythonValues.isFloat(value)) {
            return (Number) value;
        }
        return PythonValues.asInteger(value);
    }

    /** Python's {@code a % b} for numbers: the result takes the sign of the divisor. */
    static Number pythonModulo(Number a, Number b) {
        if (PythonValues.isFloat(a) || PythonValues.isFloat(b)) {
            double x = a.doubleValue();
            double y = b.doubleValue();
            if (y == 0) {
                throw new ELException("ZeroDivisionError: float modulo");
            }
            double r = x % y;
            if (r != 0 && (r < 0) != (y < 0)) {
                r += y;
            } else if (r == 0) {
                r = Math.copySign(0.0, y);
            }
            return r;
        }
        BigInteger x = BigInteger.valueOf(a.longValue());
        BigInteger y = BigInteger.valueOf(b.longValue());
        if (a instanceof BigInteger bx) {
            x = bx;
        }
        if (b instanceof BigInteger by) {
            y = by;
        }
        if (y.signum() == 0) {
            throw new ELException("ZeroDivisionError: integer modulo by zero");
        }
        BigInteger r = x.mod(y.abs());
        if (y.signum() < 0 && r.signum() != 0) {
            r = r.add(y);
        }
        return r.bitLength() < 64 ? (Number) r.longValue() : r;
    }
}
