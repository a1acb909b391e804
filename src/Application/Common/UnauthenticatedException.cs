namespace Causeloop.Application.Common;

/// <summary>No valid API key accompanies a message that needs one (401).</summary>
public sealed class UnauthenticatedException() : Exception("A valid API key is required."), IRejection;
