package io.cdpconnect.aerospike.write;

import com.aerospike.client.AerospikeException;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.ResultCode;
import com.aerospike.client.policy.Policy;
import com.aerospike.client.query.IndexCollectionType;
import com.aerospike.client.query.IndexType;
import com.aerospike.client.task.IndexTask;
import io.cdpconnect.aerospike.client.TransientErrors;
import io.cdpconnect.aerospike.read.SegmentLayout;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;

/**
 * Creates, on first use of each set, the MAPKEYS string secondary index on the membership bin, so "users in
 * segment S" is one secondary-index query. An index that already exists (made by another task, a previous run
 * or an operator, under any name) is success.
 */
public final class IndexManager {

    private static final Logger LOG = LoggerFactory.getLogger(IndexManager.class);

    private final IAerospikeClient client;
    private final Policy policy;
    private final String namespace;
    private final SegmentLayout layout;
    private final String nameTemplate;
    private final Set<String> ensured = new HashSet<>();

    public IndexManager(IAerospikeClient client, Policy policy, String namespace, SegmentLayout layout, String nameTemplate) {
        this.client = client;
        this.policy = policy;
        this.namespace = namespace;
        this.layout = layout;
        this.nameTemplate = nameTemplate == null ? "" : nameTemplate.trim();
    }

    /** Ensures the index of each set ("" = the null set) exists; transient failures become RetriableException. */
    public void ensure(Set<String> sets) {
        for (String set : sets) {
            if (!ensured.contains(set)) {
                create(set.isEmpty() ? null : set);
                ensured.add(set);
            }
        }
    }

    public String indexName(String set) {
        return nameTemplate.isEmpty() ? layout.defaultIndexName(set)
                : SegmentLayout.indexName(nameTemplate.replace("{set}", set == null ? "null" : set));
    }

    private void create(String set) {
        String name = indexName(set);
        try {
            IndexTask task = client.createIndex(policy, namespace, set, name, layout.membershipBin(),
                    IndexType.STRING, IndexCollectionType.MAPKEYS);
            task.waitTillComplete(200, 0);
            LOG.info("Created secondary index {} on {}.{} MAPKEYS({})", name, namespace, set, layout.membershipBin());
        } catch (AerospikeException e) {
            if (e.getResultCode() == ResultCode.INDEX_ALREADY_EXISTS) {
                LOG.debug("Secondary index on {}.{} MAPKEYS({}) already exists", namespace, set, layout.membershipBin());
                return;
            }
            if (TransientErrors.isTransient(e, client)) {
                throw new RetriableException("cannot create secondary index " + name + " now: " + e.getMessage(), e);
            }
            throw new ConnectException("cannot create the MAPKEYS secondary index " + name + " on " + namespace + "."
                    + set + " bin " + layout.membershipBin() + ": " + e.getMessage()
                    + " (create it yourself and set segments.index.create=false)", e);
        }
    }
}
