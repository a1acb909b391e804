using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Causeloop.Api.Tests.Support;

public static class Json
{
    public static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent Body(object value) => Body(JsonSerializer.Serialize(value));

    public static async Task<JsonNode> ReadNodeAsync(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("Empty JSON body.");
    }

    /// <summary>Asserts the status and that the body is a problem detail; returns it.</summary>
    public static async Task<JsonNode> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(status), text);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
        });
        var node = JsonNode.Parse(text)!;
        Assert.That(node["status"]!.GetValue<int>(), Is.EqualTo((int)status));
        return node;
    }

    public static async Task<JsonNode> OkAsync(this HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        return JsonNode.Parse(text)!;
    }

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string uri, string json) =>
        client.PatchAsync(uri, Body(json));

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string uri, string json) =>
        client.PostAsync(uri, Body(json));
}
