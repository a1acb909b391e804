namespace Causeloop.Infrastructure;

/// <summary>The settings Infrastructure needs, read from <c>Causeloop:*</c> configuration by the host.</summary>
public sealed record InfrastructureOptions(string ConnectionString, byte[] SecretsKey);
