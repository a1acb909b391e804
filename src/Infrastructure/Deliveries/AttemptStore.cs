using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Infrastructure.Persistence;
using Npgsql;

namespace Causeloop.Infrastructure.Deliveries;

/// <summary>Opens a recording transaction (<see cref="AttemptRecording"/>) on the service's durable connections.</summary>
public sealed class AttemptStore(NpgsqlDataSource dataSource) : IAttemptStore
{
    public Task<IAttemptRecording> BeginAsync(CancellationToken cancellationToken) =>
        DatabaseErrors.TranslateAsync(async () =>
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            try
            {
                return (IAttemptRecording)new AttemptRecording(connection, await connection.BeginTransactionAsync(cancellationToken));
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        });
}
