namespace Causeloop.Application.Common;

/// <summary>A domain rule forbids the change (409).</summary>
public sealed class ConflictException(string message) : Exception(message), IRejection;
