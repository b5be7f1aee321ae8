package io.cdpconnect.common.definitions;

import org.apache.kafka.common.config.types.Password;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * Definitions kept in a database table, read with a configurable query whose columns are, by position:
 * event type, name (a version number for schemas), body text and, optionally, an updated-at timestamp. Defaults
 * match the {@code event_schemas} / {@code event_templates} tables of the design notes. A short-lived connection
 * is opened per load: loads happen every {@code definitions.refresh.ms}, and a fresh connection survives database
 * restarts and failovers without connection-validation logic.
 *
 * <p>The JDBC driver is looked up through the plugin's own class loader first: under Connect's plugin isolation
 * {@link DriverManager} does not always see drivers shipped in a plugin's {@code lib/} folder.
 */
public final class JdbcDefinitionSource implements DefinitionSource {

    private static final int QUERY_TIMEOUT_SECONDS = 30;

    private final String url;
    private final String user;
    private final Password password;
    private final String query;

    public JdbcDefinitionSource(String url, String user, Password password, String query) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.query = query;
    }

    @Override
    public List<Definition> load() throws SQLException {
        List<Definition> out = new ArrayList<>();
        try (Connection connection = connect();
             Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            try (ResultSet rows = statement.executeQuery(query)) {
                int columns = rows.getMetaData().getColumnCount();
                if (columns < 3) {
                    throw new SQLException("definitions query must return event type, name and body (and optionally"
                            + " updated_at); it returns " + columns + " column(s)");
                }
                while (rows.next()) {
                    String eventType = rows.getString(1);
                    String name = rows.getString(2);
                    String body = rows.getString(3);
                    if (eventType == null || body == null) {
                        continue; // a half-written row is not a definition
                    }
                    Timestamp updated = columns >= 4 ? rows.getTimestamp(4) : null;
                    out.add(new Definition(eventType, name == null ? "" : name, body,
                            updated == null ? null : updated.toInstant()));
                }
            }
        }
        return out;
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        if (user != null && !user.isEmpty()) {
            props.setProperty("user", user);
        }
        if (password != null && password.value() != null) {
            props.setProperty("password", password.value());
        }
        Driver driver = findDriver(JdbcDefinitionSource.class.getClassLoader());
        if (driver == null) {
            driver = findDriver(Thread.currentThread().getContextClassLoader());
        }
        if (driver != null) {
            Connection connection = driver.connect(url, props);
            if (connection != null) {
                return connection;
            }
        }
        return DriverManager.getConnection(url, props);
    }

    private Driver findDriver(ClassLoader loader) {
        if (loader == null) {
            return null;
        }
        for (Driver driver : ServiceLoader.load(Driver.class, loader)) {
            try {
                if (driver.acceptsURL(url)) {
                    return driver;
                }
            } catch (SQLException ignored) {
                // a driver that cannot judge the URL is not ours
            }
        }
        return null;
    }

    @Override
    public String describe() {
        int params = url.indexOf('?');
        return "jdbc " + (params < 0 ? url : url.substring(0, params)); // parameters may carry credentials
    }
}
