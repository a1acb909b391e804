namespace Causeloop.Application.Abstractions;

/// <summary>
/// A command whose writes are committed by <see cref="IEventWriter"/> (group commit), so the pipeline opens no
/// transaction around it.
/// </summary>
public interface ICommitsItself;
