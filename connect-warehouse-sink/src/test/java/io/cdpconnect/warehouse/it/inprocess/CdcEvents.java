/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it.inprocess;

import java.util.LinkedHashMap;
import java.util.Map;

/** Change events as the sources write them, for the CDC tests of the sink. */
final class CdcEvents {

    private CdcEvents() {}

    /**
     * A MongoDB source change event of an order (schemaless, {@code output.format=json} fields): the operation, the
     * document key as extended JSON and, unless {@code status} is null (a delete), the full document.
     */
    static Map<String, Object> mongo(String op, String id, String status) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("operation", op);
        v.put("document_key", "{\"_id\": \"" + id + "\"}");
        v.put("full_document", status == null ? null : Map.of("_id", id, "order_id", "o-" + id, "status", status));
        return v;
    }
}
