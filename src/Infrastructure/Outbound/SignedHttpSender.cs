using Microsoft.Extensions.Options;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Application.Deliveries.Pipeline;
using Causeloop.Domain.Deliveries;
using Causeloop.Domain.Signing;
using Polly.Timeout;

namespace Causeloop.Infrastructure.Outbound;

/// <summary>
/// Sends one attempt: the event's bytes, signed both ways, outside any transaction. A webhook with static headers or auth
/// (SPEC §17) also gets its <see cref="EndpointProfile"/>: the headers, a bearer token (fetched again once on a 401) or its
/// client certificate; one without them costs two null checks more than before.
/// </summary>
public sealed class SignedHttpSender(IHttpClientFactory clients, ISecretProtector protector, IOptions<DeliveryOptions> settings, TimeProvider time,
    EndpointProfiles profiles) : IAttemptSender
{
    private readonly DeliveryOptions _options = settings.Value;

    public const string ClientName = "causeloop-outbound";
    public const string UnreadableSecretError = "not sent: the webhook's signing secret cannot be read (the service's secrets key was changed)";

    public async Task<AttemptRecord> SendAsync(ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);

        // One span per attempt, linked to the request that created the event; the outbound request (a child span of
        // it, from the HttpClient instrumentation) carries its traceparent to the receiver.
        using var activity = StartAttemptActivity(delivery);
        var record = await SendAttemptAsync(delivery, cancellationToken);
        if (activity is not null)
        {
            activity.SetTag("causeloop.attempt.outcome", CauseloopTelemetry.AttemptOutcome(record.Result));
            activity.SetTag("http.response.status_code", record.Result.StatusCode); // none (null) adds no tag

            if (!record.Result.IsSuccess)
            {
                activity.SetStatus(ActivityStatusCode.Error, record.Result.Error ?? $"HTTP {record.Result.StatusCode}");
            }
        }

        return record;
    }

    private static Activity? StartAttemptActivity(ClaimedDelivery delivery)
    {
        ActivityLink[]? links = null;
        if (delivery.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, null, out var origin))
        {
            links = [new ActivityLink(origin)];
        }

        var activity = CauseloopTelemetry.Delivery.StartActivity(
            "deliver " + delivery.EventType, ActivityKind.Internal, parentContext: default, links: links);
        activity?.SetTag("causeloop.event_type", delivery.EventType);
        activity?.SetTag("causeloop.event_id", delivery.EventId.ToString());
        activity?.SetTag("causeloop.delivery_id", delivery.Id.ToString());
        activity?.SetTag("causeloop.attempt", delivery.Attempt);
        return activity;
    }

    private async Task<AttemptRecord> SendAttemptAsync(ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<SigningSecret> secrets;
        try
        {
            secrets = LiveSecretsOf(delivery, now.UtcDateTime);
        }
        catch (SecretUnreadableException)
        {
            // A poison delivery: recorded as a failed attempt (retried on the schedule, then dead), never re-leased forever.
            return new AttemptRecord(now.UtcDateTime, 0, new AttemptResult(null, UnreadableSecretError), null);
        }

        EndpointProfile? profile = null;
        if (delivery.Headers is not null || delivery.Auth is not null)
        {
            try
            {
                profile = profiles.For(delivery);
            }
            catch (EndpointProfileException e)
            {
                return new AttemptRecord(now.UtcDateTime, 0, new AttemptResult(null, e.Message), null);
            }
        }

        var timestamp = now.ToUnixTimeSeconds();
        var eventId = delivery.EventId.ToString();
        using var request = SignedRequest(delivery, secrets, eventId, timestamp);

        AttemptResult result;
        string? responseBody = null;
        try
        {
            // One deadline for the whole attempt, the body included: a receiver that answers its headers and then
            // drips a byte a minute cannot hold the slot (or outlive the lease). The status decides the attempt;
            // a body cut off at the deadline is kept as far as it came.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(_options.AttemptTimeout);
            using var response = profile is null
                ? await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token)
                : await SendWithProfileAsync(profile, request, delivery, secrets, eventId, timestamp, deadline.Token);
            responseBody = await ReadPrefixAsync(response, deadline.Token);
            var status = (int)response.StatusCode;
            result = new AttemptResult(status, null, status is 429 or 503 ? RetryAfter(response, now) : null);
        }
        catch (TimeoutRejectedException e)
        {
            result = new AttemptResult(null, $"timeout: no answer within {e.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            result = new AttemptResult(null, OutboundErrors.Describe(e));
        }
        catch (TokenEndpointException e)
        {
            result = new AttemptResult(null, e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = new AttemptResult(null, $"timeout: no answer within {_options.AttemptTimeout.TotalSeconds:0.#} s");
        }

        var duration = (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new AttemptRecord(now.UtcDateTime, duration, result, responseBody);
    }

    /// <summary>The request of one attempt: the event's bytes and Causeloop's headers, both signatures included.</summary>
    private static HttpRequestMessage SignedRequest(ClaimedDelivery delivery, IReadOnlyList<SigningSecret> secrets, string eventId, long timestamp)
    {
        // HTTP/1.1 or lower, never HTTP/3: QUIC would bypass the SSRF guard in GuardedConnector.ConnectCallback.
        var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new ByteArrayContent(delivery.Body),
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Causeloop-Webhooks", "1.0"));
        request.Headers.TryAddWithoutValidation(PayloadSignature.HeaderName, PayloadSignature.Sign(secrets[0], delivery.Body));
        request.Headers.TryAddWithoutValidation("x-causeloop-event-id", eventId);
        request.Headers.TryAddWithoutValidation("x-causeloop-event-type", delivery.EventType);
        request.Headers.TryAddWithoutValidation("x-causeloop-delivery-id", delivery.Id.ToString());
        request.Headers.TryAddWithoutValidation("x-causeloop-attempt", delivery.Attempt.ToString(CultureInfo.InvariantCulture));
        if (delivery.OrderingKey is { } orderingKey)
        {
            request.Headers.TryAddWithoutValidation("x-causeloop-ordering-key", orderingKey);
        }
        request.Headers.TryAddWithoutValidation("webhook-id", eventId);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", StandardWebhookSignature.Header(secrets, eventId, timestamp, delivery.Body));
        return request;
    }

    /// <summary>
    /// Sends with the webhook's static headers, and its bearer token or certificate. A 401 to a token gets one fresh token
    /// and one more send of the same attempt (same headers, same signatures) before the attempt counts as failed (SPEC §17).
    /// A token endpoint that gives no token throws <see cref="TokenEndpointException"/>: that is the attempt's error.
    /// </summary>
    private async Task<HttpResponseMessage> SendWithProfileAsync(EndpointProfile profile, HttpRequestMessage request, ClaimedDelivery delivery,
        IReadOnlyList<SigningSecret> secrets, string eventId, long timestamp, CancellationToken cancellationToken)
    {
        var client = profile.Client ?? clients.CreateClient(ClientName);
        AddStaticHeaders(request, profile);
        if (profile.Tokens is not { } tokens)
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }

        var token = await tokens.GetAsync(cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        var renewed = await tokens.RenewAsync(token, cancellationToken);
        var again = SignedRequest(delivery, secrets, eventId, timestamp);
        AddStaticHeaders(again, profile);
        again.Headers.Authorization = new AuthenticationHeaderValue("Bearer", renewed);
        return await client.SendAsync(again, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private static void AddStaticHeaders(HttpRequestMessage request, EndpointProfile profile)
    {
        foreach (var (name, value) in profile.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    /// <summary>Newest first: the Causeloop header signs with the newest, the Standard Webhooks header with each.</summary>
    private IReadOnlyList<SigningSecret> LiveSecretsOf(ClaimedDelivery delivery, DateTime now) =>
        LiveSecrets.Of(
            protector.Unprotect(delivery.Secret),
            delivery.PreviousSecretExpiresAt,
            now,
            delivery.PreviousSecret is { } previous ? () => protector.Unprotect(previous) : null);

    private static async Task<string?> ReadPrefixAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[AttemptRecord.ResponseBodyLimit];
        var total = 0;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
            {
                total += read;
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            // The status already decides the attempt; a body cut short (or cut off at the deadline) is still worth keeping.
        }

        if (total == 0)
        {
            return null;
        }

        // Never split a UTF-8 sequence at the cut; invalid bytes become U+FFFD.
        var text = System.Text.Encoding.UTF8.GetString(buffer, 0, total);
        return text.Replace("\0", string.Empty, StringComparison.Ordinal);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date && date > now ? date - now : null;
    }
}
