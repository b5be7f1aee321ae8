/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it;

import io.cdpconnect.testing.ConnectTestCluster;
import io.cdpconnect.testing.TestPostgres;

/**
 * What a PostgreSQL IT of the warehouse sink runs against: its own database on the shared embedded server, a
 * {@link Sql} client for it and a Connect cluster. One per test class, started in {@code @BeforeAll}, closed in
 * {@code @AfterAll}.
 */
final class PostgresFixture implements AutoCloseable {

    final TestPostgres pg;
    final String url;
    final Sql sql;
    final ConnectTestCluster connect;

    private PostgresFixture(TestPostgres pg, String url, ConnectTestCluster connect) {
        this.pg = pg;
        this.url = url;
        this.sql = Sql.of(url, pg.user(), pg.password());
        this.connect = connect;
    }

    /** Creates {@code database} and then starts the cluster {@code cluster} describes. */
    static PostgresFixture start(String database, ConnectTestCluster.Builder cluster) {
        TestPostgres pg = TestPostgres.get();
        String url = pg.createDatabase(database);
        return new PostgresFixture(pg, url, cluster.start());
    }

    /** The connector's connection options as a JSON fragment, for the test user. */
    String connectionJson() {
        return "\"warehouse.url\": \"" + url + "\", \"warehouse.user\": \"" + pg.user()
                + "\", \"warehouse.password\": \"" + pg.password() + "\"";
    }

    @Override
    public void close() {
        connect.close();
    }
}
