using Causeloop.Application.Inbound;

namespace Causeloop.Application.Abstractions;

/// <summary>
/// The rejection log's writer. <see cref="Record"/> never waits and never fails the request: rows are written in
/// batches in the background, at most so many per connector per batch, and anything beyond is dropped, so a flood of
/// bad requests cannot slow accepted traffic or grow the table (at most 100 rows kept per connector).
/// </summary>
public interface IRejectionLog
{
    void Record(InboundRejection rejection);
}
