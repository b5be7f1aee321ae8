/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SegmentLayoutTest {

    @Test
    void indexNamesAreServerSafe() {
        SegmentLayout layout = SegmentLayout.defaults();
        assertThat(layout.defaultIndexName("users")).isEqualTo("cdp_users_segments_keys");
        assertThat(layout.defaultIndexName(null)).isEqualTo("cdp_null_segments_keys");
        assertThat(layout.defaultIndexName("segments.updates")).isEqualTo("cdp_segments_updates_segments_keys");
        String longSet = "s".repeat(63);
        String name = layout.defaultIndexName(longSet);
        assertThat(name).hasSize(SegmentLayout.MAX_INDEX_NAME).startsWith("cdp_sss");
        assertThat(name).isNotEqualTo(layout.defaultIndexName("s".repeat(62) + "t"));
    }

    @Test
    void binNamesAreChecked() {
        assertThatThrownBy(() -> new SegmentLayout("segment_memberships", "ts"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
