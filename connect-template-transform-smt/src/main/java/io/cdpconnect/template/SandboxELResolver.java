/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.objects.collections.PyList;
import com.hubspot.jinjava.objects.collections.PyMap;
import com.hubspot.jinjava.objects.date.PyishDate;
import com.hubspot.jinjava.util.ForLoop;
import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;
import jinjava.javax.el.MethodNotFoundException;
import jinjava.javax.el.PropertyNotWritableException;

/**
 * The only way templates reach objects: replaces Jinjava's resolver chain (which ends in a JavaBeans resolver
 * able to call any public method) with an allow-list.
 *
 * <ul>
 *   <li>Maps: keys (a missing key is an undefined reference). Lists: indexes.</li>
 *   <li>Jinja's own objects: {@code loop.*}, date fields, map entries' key/value.</li>
 *   <li>Methods: only the Python-style dict and list methods Jinja templates use ({@code items()},
 *       {@code keys()}, {@code values()}, {@code get()}, {@code append()}, ...), {@code loop.cycle()}, and the
 *       filter and test calls Jinjava compiles {@code |f} and {@code is t} into. Nothing else: no getters, no
 *       {@code getClass()}, no reflection, whatever the object.</li>
 * </ul>
 * It also skips Jinjava's default path for filter calls, which probes each filter as a JavaBean first: that
 * probe cost most of the render time.
 */
final class SandboxELResolver extends ELResolver {

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        if (base == null) {
            return null; // top-level names are Jinjava's business (context variables)
        }
        context.setPropertyResolved(true);
        if (base instanceof Map<?, ?> map) {
            return mapValue(map, property);
        }
        if (base instanceof List<?> list) {
            return listValue(list, property);
        }
        if (base instanceof ForLoop loop) {
            return loopValue(loop, property);
        }
        if (base instanceof PyishDate date) {
            return dateValue(date, property);
        }
        if (base instanceof Filter || base instanceof ExpTest) {
            return null; // Jinjava probing a filter or test object before calling it
        }
        if (base instanceof Map.Entry<?, ?> entry) {
            if ("key".equals(property)) {
                return entry.getKey();
            }
            if ("value".equals(property)) {
                return entry.getValue();
            }
        }
        return undefined(property);
    }

    private static Object mapValue(Map<?, ?> map, Object property) {
        Object value = map.get(property);
        if (value != null) {
            return value;
        }
        String key = String.valueOf(property);
        value = map.get(key);
        if (value == null && !map.containsKey(key) && !map.containsKey(property)) {
            return undefined(key);
        }
        return value;
    }

    private static Object listValue(List<?> list, Object property) {
        int index;
        if (property instanceof Number n) {
            index = n.intValue();
        } else {
            try {
                index = Integer.parseInt(String.valueOf(property));
            } catch (NumberFormatException e) {
                return undefined(property);
            }
        }
        if (index < 0) {
            index += list.size();
        }
        return index >= 0 && index < list.size() ? list.get(index) : undefined("[" + property + "]");
    }

    private static Object loopValue(ForLoop loop, Object property) {
        switch (String.valueOf(property)) {
            case "index":
                return loop.getIndex();
            case "index0":
                return loop.getIndex0();
            case "revindex":
                return loop.getRevindex();
            case "revindex0":
                return loop.getRevindex0();
            case "first":
                return loop.isFirst();
            case "last":
                return loop.isLast();
            case "length":
                return loop.getLength();
            case "depth":
                return loop.getDepth();
            case "depth0":
                return loop.getDepth0();
            default:
                return undefined(property);
        }
    }

    private static Object dateValue(PyishDate date, Object property) {
        switch (String.valueOf(property)) {
            case "year":
                return date.getYear();
            case "month":
                return date.getMonth();
            case "day":
                return date.getDay();
            case "hour":
                return date.getHour();
            case "minute":
                return date.getMinute();
            case "second":
                return date.getSecond();
            case "microsecond":
                return date.getMicrosecond();
            default:
                return undefined(property);
        }
    }

    private static Object undefined(Object name) {
        RenderState state = RenderState.current();
        if (state != null) {
            JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
            state.undefined(String.valueOf(name), interpreter == null ? -1 : interpreter.getLineNumber());
        }
        return null;
    }

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (method == null) {
            return null;
        }
        if (base == null) {
            if ("filter".equals(method) || "evaluate".equals(method) || "evaluateNegated".equals(method)) {
                throw new MethodNotFoundException("unknown " + ("filter".equals(method) ? "filter" : "test")
                        + " (check the filter and test names on this line)");
            }
            return null;
        }
        String name = method.toString();
        RenderState state = RenderState.current();
        if (state != null) {
            state.retractLookup(name);
        }
        Object[] args = params == null ? new Object[0] : params;
        Object result;
        if (base instanceof Filter filter && "filter".equals(name) && args.length == 4) {
            result = callFilter(filter, args);
        } else if (base instanceof ExpTest test
                && ("evaluate".equals(name) || "evaluateNegated".equals(name))
                && args.length >= 2) {
            Object[] testArgs = Arrays.copyOfRange(args, 2, args.length);
            JinjavaInterpreter interpreter = (JinjavaInterpreter) args[1];
            result = "evaluate".equals(name)
                    ? test.evaluate(args[0], interpreter, testArgs)
                    : test.evaluateNegated(args[0], interpreter, testArgs);
        } else if (base instanceof PyMap map) {
            result = mapMethod(map, name, args);
        } else if (base instanceof PyList list) {
            result = listMethod(list, name, args);
        } else if (base instanceof ForLoop loop && "cycle".equals(name)) {
            result = loop.cycle(args);
        } else if (base instanceof PyishDate date && "isoformat".equals(name) && args.length == 0) {
            result = date.isoformat();
        } else if (base instanceof PyishDate date && "strftime".equals(name) && args.length == 1) {
            result = date.strftime(String.valueOf(args[0]));
        } else {
            throw denied(base, name);
        }
        context.setPropertyResolved(true);
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Object callFilter(Filter filter, Object[] args) {
        return filter.filter(args[0], (JinjavaInterpreter) args[1], (Object[]) args[2], (Map<String, Object>) args[3]);
    }

    @SuppressWarnings("unchecked")
    private static Object mapMethod(PyMap map, String name, Object[] args) {
        switch (name) {
            case "items":
                if (args.length == 0) {
                    return map.items();
                }
                break;
            case "keys":
                if (args.length == 0) {
                    return map.keys();
                }
                break;
            case "values":
                if (args.length == 0) {
                    return new ArrayList<>(map.values());
                }
                break;
            case "get":
                if (args.length == 1 || args.length == 2) {
                    Object value = map.get(String.valueOf(args[0]));
                    return value != null || args.length == 1 ? value : args[1];
                }
                break;
            case "update":
                if (args.length == 1 && args[0] instanceof Map<?, ?> other) {
                    map.update((Map<String, Object>) other);
                    return null;
                }
                break;
            default:
                break;
        }
        throw denied(map, name);
    }

    @SuppressWarnings("unchecked")
    private static Object listMethod(PyList list, String name, Object[] args) {
        switch (name) {
            case "append":
                if (args.length == 1) {
                    return list.append(args[0]);
                }
                break;
            case "extend":
                if (args.length == 1 && args[0] instanceof Collection<?> other) {
                    return list.extend(other instanceof PyList py ? py : new PyList(new ArrayList<>(other)));
                }
                break;
            case "insert":
                if (args.length == 2 && args[0] instanceof Number index) {
                    list.insert(index.intValue(), args[1]);
                    return null;
                }
                break;
            case "pop":
                if (args.length == 0) {
                    return list.pop();
                }
                if (args.length == 1 && args[0] instanceof Number index) {
                    return list.pop(index.intValue());
                }
                break;
            case "count":
                if (args.length == 1) {
                    return list.count(args[0]);
                }
                break;
            case "index":
                if (args.length == 1) {
                    return list.index(args[0]);
                }
                break;
            case "copy":
                if (args.length == 0) {
                    return list.copy();
                }
                break;
            case "reverse":
                if (args.length == 0) {
                    list.reverse();
                    return null;
                }
                break;
            default:
                break;
        }
        throw denied(list, name);
    }

    private static MethodNotFoundException denied(Object base, String name) {
        return new MethodNotFoundException("calling '" + name + "' on a " + describe(base)
                + " is not allowed in templates (only dict/list methods such as items(), keys(), get(), append(); "
                + "use filters for everything else)");
    }

    private static String describe(Object base) {
        if (base instanceof Map) {
            return "dict";
        }
        if (base instanceof List) {
            return "list";
        }
        if (base instanceof CharSequence) {
            return "string";
        }
        if (base instanceof Number) {
            return "number";
        }
        return "value";
    }

    @Override
    @SuppressWarnings("unchecked")
    public void setValue(ELContext context, Object base, Object property, Object value) {
        if (base instanceof Map<?, ?> map) {
            context.setPropertyResolved(true);
            ((Map<Object, Object>) map).put(String.valueOf(property), value);
            return;
        }
        if (base != null) {
            throw new PropertyNotWritableException("cannot set '" + property + "' on a " + describe(base));
        }
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        if (base == null) {
            return null;
        }
        context.setPropertyResolved(true);
        return Object.class;
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        if (base == null) {
            return false;
        }
        context.setPropertyResolved(true);
        return !(base instanceof Map);
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return base == null ? null : Object.class;
    }
}
