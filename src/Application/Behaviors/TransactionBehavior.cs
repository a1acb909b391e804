using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Mediator;

namespace Causeloop.Application.Behaviors;

/// <summary>
/// Runs each command in one database transaction: committed when the handler returns, rolled back when it throws.
/// Commands that commit through the group-commit writer (<see cref="ICommitsItself"/>) get none. Queries read from the read
/// replica when there is one (<see cref="IUnitOfWork.ReadFromReplica"/>), but those that must see every committed write
/// (<see cref="IReadsLatest"/>) and those of a scope that has written; a query that finds nothing there, or cannot reach
/// it, is asked again of the primary, so a resource created a moment ago (the replica has not replayed it yet) is found,
/// and a replica that is down costs latency, not answers.
/// </summary>
public sealed class TransactionBehavior<TMessage, TResponse>(IUnitOfWork unitOfWork) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (message is IBaseQuery and not IReadsLatest && unitOfWork.ReadFromReplica())
        {
            try
            {
                return await next(message, cancellationToken);
            }
            catch (Exception e) when (e is NotFoundException or UnavailableException)
            {
                // Not replayed there yet, or the replica is down: the primary answers.
            }
            finally
            {
                unitOfWork.ReadFromPrimary();
            }

            return await next(message, cancellationToken);
        }

        if (message is not IBaseCommand or ICommitsItself)
        {
            return await next(message, cancellationToken);
        }

        await unitOfWork.BeginAsync(cancellationToken);
        try
        {
            var response = await next(message, cancellationToken);
            await unitOfWork.CommitAsync(cancellationToken);
            return response;
        }
        catch
        {
            await unitOfWork.RollbackAsync(CancellationToken.None);
            throw;
        }
    }
}
