namespace Causeloop.Application.Abstractions;

/// <summary>
/// A query whose answer must hold every write committed before it (a secret just rotated, for one), so it never reads
/// from a read replica, which may lag the primary.
/// </summary>
public interface IReadsLatest;
