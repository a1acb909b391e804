using System.Buffers.Text;
using System.Text;

namespace Causeloop.Application.Common;

/// <summary>An opaque cursor: base64url of <c>c1:</c> and the last id of the page.</summary>
public static class Cursor
{
    private const string Version = "c1:";

    public static string Encode(Guid lastId) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(Version + lastId.ToString("N")));

    public static bool TryDecode(string cursor, out Guid lastId)
    {
        lastId = Guid.Empty;
        if (cursor.Length > 64)
        {
            return false;
        }

        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith(Version, StringComparison.Ordinal)
                && Guid.TryParseExact(text[Version.Length..], "N", out lastId);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
