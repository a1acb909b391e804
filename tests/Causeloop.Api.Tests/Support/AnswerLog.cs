using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Causeloop.Api.Tests.Support;

/// <summary>
/// Keeps the body of every answer a client receives (after the OpenAPI check of <see cref="OpenApiConformance"/>), JSON with
/// its string escapes undone, so that a test can assert that no answer ever carried a secret.
/// </summary>
public sealed class AnswerLog
{
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ConcurrentQueue<string> _bodies = new();

    public IReadOnlyList<string> Bodies => _bodies.ToArray();

    public HttpMessageHandler Handler() => new Recorder(this);

    private sealed class Recorder(AnswerLog log) : DelegatingHandler(new OpenApiConformance())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            try
            {
                text = JsonNode.Parse(text)?.ToJsonString(Unescaped) ?? text;
            }
            catch (JsonException)
            {
                // Not JSON (a page): kept as it came.
            }

            log._bodies.Enqueue(text);
            return response;
        }
    }
}
