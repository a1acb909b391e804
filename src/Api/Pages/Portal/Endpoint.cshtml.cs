using Causeloop.Application.Common;
using Causeloop.Application.Webhooks;
using Causeloop.Application.Webhooks.UpdateWebhook;
using Causeloop.Domain.Portal;
using Causeloop.Domain.Webhooks;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Causeloop.Api.Pages.Portal;

/// <summary>
/// A webhook's authentication and static headers (SPEC §17): shown without their secrets to any session; changed, with
/// <c>manage</c> and <c>secrets</c>, through the same <see cref="UpdateWebhookCommand"/> as <c>PATCH /v1/webhooks/{id}</c>.
/// A refused change re-shows the page with why (400); what was typed is not echoed back.
/// </summary>
public sealed class EndpointModel(ISender sender) : PortalPageModel(sender)
{
    public WebhookDto? Webhook { get; private set; }

    public string? Notice { get; private set; }

    public string? Error { get; private set; }

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => ShowAsync(id, null, null, cancellationToken);

    public Task<IActionResult> OnPostOAuth2Async(Guid id, string? tokenUrl, string? clientId, string? clientSecret, string? scope, string? audience, string? method,
        CancellationToken cancellationToken) =>
        ChangeAsync(PortalAction.UseOAuth2, id, default, Auth(new EndpointAuth
        {
            Type = EndpointAuth.OAuth2ClientCredentials, TokenUrl = tokenUrl, ClientId = clientId, ClientSecret = clientSecret,
            Scope = Blank(scope), Audience = Blank(audience), TokenEndpointAuthMethod = Blank(method),
        }), "Deliveries now carry a bearer token from the token URL.", cancellationToken);

    public Task<IActionResult> OnPostCertificateAsync(Guid id, string? certificatePem, string? privateKeyPem, CancellationToken cancellationToken) =>
        ChangeAsync(PortalAction.UseClientCertificate, id, default,
            Auth(new EndpointAuth { Type = EndpointAuth.MutualTls, CertificatePem = certificatePem, PrivateKeyPem = privateKeyPem }),
            "Deliveries now present this client certificate.", cancellationToken);

    public Task<IActionResult> OnPostRemoveAuthAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(PortalAction.RemoveAuthentication, id, default, Auth(null), "Authentication removed.", cancellationToken);

    public Task<IActionResult> OnPostHeadersAsync(Guid id, string? headers, CancellationToken cancellationToken)
    {
        var parsed = ParseHeaders(headers, out var problem);
        return problem is not null
            ? ActAsync(PortalAction.SaveHeaders, id, () => ShowAsync(id, null, problem, cancellationToken), cancellationToken)
            : ChangeAsync(PortalAction.SaveHeaders, id, new PatchField<IReadOnlyDictionary<string, string?>?>(true, parsed), default,
                parsed is null ? "Headers removed." : "Headers saved.", cancellationToken);
    }

    private Task<IActionResult> ChangeAsync(PortalAction action, Guid id, PatchField<IReadOnlyDictionary<string, string?>?> headers, PatchField<EndpointAuth?> auth,
        string notice, CancellationToken cancellationToken) =>
        ActAsync(action, id, async () =>
        {
            try
            {
                await Sender.Send(new UpdateWebhookCommand(id, default, default, default, default, Headers: headers, Auth: auth), cancellationToken);
            }
            catch (ValidationException refused)
            {
                return await ShowAsync(id, null, string.Join(" ", refused.Errors.Select(e => e.ErrorMessage).Distinct()), cancellationToken);
            }
            catch (BadRequestException refused)
            {
                return await ShowAsync(id, null, refused.Message, cancellationToken);
            }

            return await ShowAsync(id, notice, null, cancellationToken);
        }, cancellationToken);

    private async Task<IActionResult> ShowAsync(Guid id, string? notice, string? error, CancellationToken cancellationToken)
    {
        Webhook = await FindWebhookAsync(id, cancellationToken);
        if (Webhook is null)
        {
            return NotFound();
        }

        Notice = notice;
        Error = error;
        if (error is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    /// <summary>Lines of <c>Name: value</c>; null when there are none (no headers). The rules themselves are the domain's.</summary>
    private static Dictionary<string, string?>? ParseHeaders(string? text, out string? problem)
    {
        problem = null;
        var headers = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var line in (text ?? string.Empty).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !headers.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim()))
            {
                problem = "Each line must be Name: value, each name once.";
                return null;
            }
        }

        return headers.Count == 0 ? null : headers;
    }

    private static PatchField<EndpointAuth?> Auth(EndpointAuth? auth) => new(true, auth);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
