using System.Security.Claims;
using System.Text.Encodings.Web;
using Causeloop.Api.ErrorHandling;
using Causeloop.Infrastructure.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Causeloop.Api.Auth;

/// <summary><c>Authorization: Bearer &lt;api key&gt;</c>. A missing, unknown or revoked key is challenged with 401 <c>invalid_token</c>.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string WorkspaceClaim = "causeloop:workspace";
    public const string ScopeClaim = "scope";
    public const string KeyPrefixClaim = "causeloop:key_prefix";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("Not a bearer token.");
        }

        var caller = await keys.FindAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (caller is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, caller.KeyId.ToString()),
            new(WorkspaceClaim, caller.WorkspaceId.ToString()),
            new(KeyPrefixClaim, caller.Prefix),
        };
        claims.AddRange(caller.Scopes.Scopes.Select(s => new Claim(ScopeClaim, s.Value)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ProblemResponses.WriteUnauthenticatedAsync(Context);
}
