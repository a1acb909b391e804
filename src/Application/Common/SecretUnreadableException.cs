namespace Causeloop.Application.Common;

/// <summary>
/// A stored signing secret cannot be decrypted: the service's secrets key is not the one it was encrypted with
/// (or the stored value is damaged). An operator's problem, not the caller's: answered 503, never 500.
/// </summary>
public sealed class SecretUnreadableException(Exception inner)
    : Exception("A stored signing secret cannot be decrypted with the configured secrets key (Causeloop:Secrets:Key).", inner);
