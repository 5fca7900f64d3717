package dev.schemarehearsal.harness.migrate;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The DataSource Flyway migrates through: its connections hand every statement execution to a {@link Hook} (the
 * {@link Tracer}, or the failure injection of {@link Atomicity}), and tell it when a transaction ends. Flyway still parses, splits and runs the migrations and decides the transactions,
 * so the rehearsal keeps its exact semantics.
 */
final class TracingDataSource implements DataSource {
    private final String url;
    private final String user;
    private final String password;
    private final Hook tracer;

    /** What sees each statement execution on the DataSource's connections. */
    interface Hook {
        Object execute(Connection connection, Connection real, String sql, Tracer.Execution execution) throws Throwable;

        default void transactionEnded(Connection connection) {
        }
    }

    TracingDataSource(String url, String user, String password, Hook tracer) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.tracer = tracer;
    }

    /** The connection a traced connection wraps, for measurements that must not be traced themselves. */
    static Connection unwrap(Connection connection) {
        return Proxy.isProxyClass(connection.getClass())
                && Proxy.getInvocationHandler(connection) instanceof Traced traced ? traced.real : connection;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return getConnection(user, password);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        Connection real = DriverManager.getConnection(url, username, password);
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                new Traced(real));
    }

    private final class Traced implements InvocationHandler {
        final Connection real;

        Traced(Connection real) {
            this.real = real;
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

    @Override
    public PrintWriter getLogWriter() {
        return DriverManager.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        DriverManager.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) {
        DriverManager.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
        return DriverManager.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
