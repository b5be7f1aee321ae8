/**
 * The reloadable definition store shared by the JSON Schema validation and the template SMTs.
 *
 * <p>A {@link io.cdpconnect.common.definitions.Definition} (event type, name or version, body, updated-at) comes
 * from a {@link io.cdpconnect.common.definitions.DefinitionSource}: inline JSON in the connector config, a directory
 * of files or a JDBC table. A {@link io.cdpconnect.common.definitions.DefinitionStore} compiles each one once with
 * the plugin's {@link io.cdpconnect.common.definitions.DefinitionCompiler}, serves lock-free lookups from an
 * immutable snapshot, and refreshes from the source in the background, recompiling only what changed and keeping
 * the last good version of anything that fails. {@link io.cdpconnect.common.definitions.DefinitionsConfig} adds
 * the same {@code definitions.*} settings to every plugin's ConfigDef.
 */
package io.cdpconnect.common.definitions;
