/**
 * Clients of the LLM providers an adapter can call, behind {@link dev.orbit.inference.InferenceProvider}.
 *
 * <ul>
 *   <li>{@code ollama}: Ollama's native {@code /api/chat}, NDJSON when streamed.</li>
 *   <li>{@code openai}: any OpenAI-compatible {@code /chat/completions} (OpenAI, vLLM, llama.cpp server),
 *       server-sent events ending with {@code data: [DONE]} when streamed.</li>
 *   <li>{@code mock}: a deterministic echo that calls nothing, for tests, benchmarks and offline demos.</li>
 * </ul>
 *
 * <p>The HTTP clients are Jetty's, built once by {@link dev.orbit.inference.ProviderFactory} (HTTP/1.1 connections
 * kept alive between calls; a reply is read and parsed on the caller's own thread, usually a virtual one);
 * {@link dev.orbit.inference.AdapterRegistry} ties each configured adapter to its provider. A provider that cannot
 * be reached, answers an error or breaks off throws {@link dev.orbit.inference.InferenceFailedException}; one that
 * does not finish within its request timeout throws {@link dev.orbit.inference.InferenceTimeoutException}.
 */
package dev.orbit.inference;
