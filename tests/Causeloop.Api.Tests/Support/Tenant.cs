namespace Causeloop.Api.Tests.Support;

/// <summary>A workspace, its API key and a client that sends it.</summary>
public sealed record Tenant(string Workspace, string ApiKey, HttpClient Http);
