/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import com.networknt.schema.Schema;

/** One stored schema compiled by networknt, ready to validate from any thread. */
record CompiledSchema(String eventType, int version, Schema schema) {}
