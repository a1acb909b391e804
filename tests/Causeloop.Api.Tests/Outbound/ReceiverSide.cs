using System.Security.Cryptography;
using System.Text;

namespace Causeloop.Api.Tests.Outbound;

/// <summary>Verification as a customer writes it, independent of the service's own signing code.</summary>
public static class ReceiverSide
{
    public static bool VerifiesCauseloop(string secret, byte[] body, string header) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body))),
            Encoding.ASCII.GetBytes(header.ToLowerInvariant()));

    public static bool VerifiesStandard(string secret, string id, string timestamp, byte[] body, string header)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var content = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
        return header.Split(' ').Contains(expected);
    }
}
