package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/** A shadow's sessions for one purpose, as a {@code DataSource}, each handed out through {@code wrap}. */
record Sessions(ShadowDatabase shadow, Purpose purpose, UnaryOperator<Connection> wrap) implements DataSource {

    @Override
    public Connection getConnection() throws SQLException {
        return wrap.apply(shadow.connect(purpose));
    }

    /** The shadow's sessions use its own credentials. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("sessions on the shadow use its own credentials");
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
