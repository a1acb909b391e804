using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Causeloop.Api.Tests.Support;

/// <summary>
/// The service's own OpenAPI document as a contract: for a request to a documented operation, the response's status
/// must be documented, its content type one the document names, and its body valid against the schema
/// (JSON Schema 2020-12, which OpenAPI 3.1 uses). Requests to undocumented paths (health, the document itself, unknown
/// routes) are not checked.
/// </summary>
public sealed class OpenApiContract
{
    private readonly List<(string Method, string[] Segments, JsonObject Operation)> _operations = [];
    private readonly JsonObject _definitions;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();

    public OpenApiContract(string document)
    {
        var root = Document = JsonNode.Parse(document)!.AsObject();
        _definitions = root["components"]?["schemas"]?.DeepClone().AsObject() ?? [];
        foreach (var (path, item) in root["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (operation is JsonObject op)
                {
                    _operations.Add((method.ToUpperInvariant(), path.Trim('/').Split('/'), op));
                }
            }
        }
    }

    public JsonObject Document { get; }

    /// <summary>Null when <paramref name="instance"/> is valid against <paramref name="schema"/> (references resolved); else why not.</summary>
    public string? Validate(JsonObject schema, JsonNode instance)
    {
        var result = Compile(schema).Evaluate(JsonDocument.Parse(instance.ToJsonString()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid ? null : string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}")).Take(5));
    }

    /// <summary>Operations in the document.</summary>
    public int Count => _operations.Count;

    /// <summary>Null when the response keeps to the document (or the path is not documented); else what is wrong.</summary>
    public string? Check(string method, string path, int status, string? mediaType, byte[] body)
    {
        var operation = Find(method, path);
        if (operation is null)
        {
            return null;
        }

        var name = operation["operationId"]?.GetValue<string>() ?? $"{method} {path}";
        var responses = operation["responses"]?.AsObject();
        var response = responses?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] ?? responses?["default"];
        if (response is null)
        {
            return $"{name}: status {status} is not documented (documented: {string.Join(", ", responses?.Select(r => r.Key) ?? [])}); body: {Preview(body)}";
        }

        var content = response["content"]?.AsObject();
        if (content is null || content.Count == 0)
        {
            return body.Length == 0 ? null : $"{name}: status {status} is documented without a body, but one came: {Preview(body)}";
        }

        if (mediaType is null || content[mediaType] is not JsonObject media)
        {
            return body.Length == 0 && status == 204 ? null
                : $"{name}: status {status} came as {mediaType ?? "(no content type)"}, the document says {string.Join(" or ", content.Select(c => c.Key))}";
        }

        if (media["schema"] is not JsonObject schemaNode || !mediaType.Contains("json", StringComparison.Ordinal))
        {
            return null;
        }

        var schema = _schemas.GetOrAdd($"{name} {status} {mediaType}", _ => Compile(schemaNode));
        JsonElement instance;
        try
        {
            instance = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException e)
        {
            return $"{name}: status {status} body is not JSON ({e.Message}): {Preview(body)}";
        }

        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return null;
        }

        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}"));
        return $"{name}: status {status} body does not match its schema ({string.Join("; ", errors.Take(5))}): {Preview(body)}";
    }

    private JsonObject? Find(string method, string path)
    {
        var segments = path.Trim('/').Split('/');
        return _operations
            .Where(o => o.Method == method && o.Segments.Length == segments.Length
                && o.Segments.Zip(segments).All(p => p.First.StartsWith('{') || string.Equals(p.First, p.Second, StringComparison.Ordinal)))
            .OrderByDescending(o => o.Segments.Count(s => !s.StartsWith('{')))
            .Select(o => o.Operation)
            .FirstOrDefault();
    }

    /// <summary>The schema with the document's components as <c>$defs</c>, so that its references resolve.</summary>
    private JsonSchema Compile(JsonObject schema)
    {
        var wrapper = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = _definitions.DeepClone(),
            ["allOf"] = new JsonArray(schema.DeepClone()),
        };
        var text = wrapper.ToJsonString().Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://causeloop.test/schemas/{Guid.NewGuid():N}"));
    }

    private static string Preview(byte[] body) => body.Length == 0 ? "(empty)" : Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 400));
}

/// <summary>
/// Checks every response a test's client receives against the service's OpenAPI document (<see cref="OpenApiContract"/>)
/// and fails the test at the first response the document does not describe, so the document cannot drift.
/// </summary>
public sealed class OpenApiConformance : DelegatingHandler
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static OpenApiContract? _contract;
    private static int _checked;

    public OpenApiConformance()
        : base(new HttpClientHandler())
    {
    }

    public OpenApiConformance(HttpMessageHandler inner)
        : base(inner)
    {
    }

    /// <summary>Responses checked so far in this test run.</summary>
    public static int Checked => Volatile.Read(ref _checked);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var uri = request.RequestUri!;
        var contract = await ContractAsync(uri);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (uri.OriginalString.Contains("%00", StringComparison.Ordinal) && (int)response.StatusCode == 400 && body.Length == 0)
        {
            // Kestrel itself refuses an encoded NUL in a path with a bare 400, before any of the service's code runs.
            return response;
        }

        var violation = contract.Check(request.Method.Method, uri.AbsolutePath, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
        Interlocked.Increment(ref _checked);
        if (violation is not null)
        {
            throw new AssertionException($"The response does not keep to /openapi/v1.json: {violation}");
        }

        return response;
    }

    private static async Task<OpenApiContract> ContractAsync(Uri uri)
    {
        if (_contract is { } contract)
        {
            return contract;
        }

        await Gate.WaitAsync();
        try
        {
            if (_contract is null)
            {
                using var plain = new HttpClient();
                _contract = new OpenApiContract(await plain.GetStringAsync(new Uri(uri, "/openapi/v1.json")));
            }

            return _contract;
        }
        finally
        {
            Gate.Release();
        }
    }
}
