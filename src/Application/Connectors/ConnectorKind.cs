namespace Causeloop.Application.Connectors;

public static class ConnectorKind
{
    /// <summary>A source that signs with the Causeloop signature (SPEC §5).</summary>
    public const string Custom = "custom";

    public static IReadOnlyList<string> All { get; } = [Custom];
}
