namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>Sends one attempt over HTTP, signed, outside any transaction.</summary>
public interface IAttemptSender
{
    Task<AttemptRecord> SendAsync(ClaimedDelivery delivery, CancellationToken cancellationToken);
}
