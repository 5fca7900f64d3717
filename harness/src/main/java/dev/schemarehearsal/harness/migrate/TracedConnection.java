package dev.schemarehearsal.harness.migrate;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Connections that hand every statement execution to a {@link Hook} (the {@link Tracer}, or the failure injection of
 * {@link Atomicity}), and tell it when a transaction ends: the migration tool migrates through them. The tool still
 * parses, splits and runs the migrations and decides the transactions, so the rehearsal keeps its exact semantics.
 */
final class TracedConnection {

    /** What sees each statement execution on the traced connections. */
    interface Hook {
        Object execute(Connection connection, Connection real, String sql, Tracer.Execution execution) throws Throwable;

        default void transactionEnded(Connection connection) {
        }
    }

    private TracedConnection() {
    }

    /** The connection, its statement executions handed to the hook. */
    static Connection wrap(Connection real, Hook hook) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                new Traced(real, hook));
    }

    /** The connection a traced connection wraps, for measurements that must not be traced themselves. */
    static Connection unwrap(Connection connection) {
        return Proxy.isProxyClass(connection.getClass())
                && Proxy.getInvocationHandler(connection) instanceof Traced traced ? traced.real : connection;
    }

    private static final class Traced implements InvocationHandler {
        final Connection real;
        final Hook tracer;

        Traced(Connection real, Hook tracer) {
            this.real = real;
            this.tracer = tracer;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                default:
                    break;
            }
            Object result = call(real, method, args);
            switch (method.getName()) {
                case "createStatement":
                    return statement(Statement.class, (Statement) result, (Connection) proxy, null);
                case "prepareStatement":
                    return statement(PreparedStatement.class, (Statement) result, (Connection) proxy, (String) args[0]);
                case "prepareCall":
                    return statement(CallableStatement.class, (Statement) result, (Connection) proxy, (String) args[0]);
                case "commit", "rollback":
                    if (args == null) {
                        tracer.transactionEnded((Connection) proxy);
                    }
                    return result;
                case "setAutoCommit":
                    // Turning auto-commit on commits the open transaction.
                    if (Boolean.TRUE.equals(args[0])) {
                        tracer.transactionEnded((Connection) proxy);
                    }
                    return result;
                default:
                    return result;
            }
        }

        private Object statement(Class<? extends Statement> type, Statement statement, Connection connection, String sql) {
            List<String> batch = new ArrayList<>();
            InvocationHandler handler = (proxy, method, args) -> {
                String name = method.getName();
                switch (name) {
                    case "getConnection":
                        return connection;
                    case "addBatch":
                        if (args != null && args[0] instanceof String batched) {
                            batch.add(batched);
                        }
                        return call(statement, method, args);
                    case "clearBatch":
                        batch.clear();
                        return call(statement, method, args);
                    default:
                        break;
                }
                if (!name.startsWith("execute")) {
                    return call(statement, method, args);
                }
                String executed = args != null && args.length > 0 && args[0] instanceof String text ? text
                        : name.endsWith("Batch") && !batch.isEmpty() ? String.join(";\n", batch) : sql;
                return tracer.execute(connection, real, executed, () -> call(statement, method, args));
            };
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, handler);
        }
    }

    /** Calls through to the driver, letting its exceptions out unchanged. */
    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
