using System.Text;

namespace Causeloop.Application.Common;

/// <summary>
/// Text that comes from outside (a receiver's status line or body, a header, a JSON string) made fit to store: Postgres
/// refuses a NUL in text and UTF-8 has no lone surrogates, so one such character must never fail a write that also
/// carries other tenants' rows. NULs are dropped, lone surrogates become U+FFFD, and the text is cut to a length
/// without splitting a surrogate pair.
/// </summary>
public static class StoredText
{
    /// <summary>The longest attempt error kept.</summary>
    public const int MaxError = 1000;

    /// <summary>The longest header value kept (user agent, content type, a provider's event type).</summary>
    public const int MaxHeader = 512;

    public static string? Clean(string? value, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        if (value is null)
        {
            return null;
        }

        if (IsClean(value, maxLength))
        {
            return value;
        }

        var text = new StringBuilder(Math.Min(value.Length, maxLength));
        for (var i = 0; i < value.Length && text.Length < maxLength; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                if (text.Length + 2 > maxLength)
                {
                    break;
                }

                text.Append(c).Append(value[++i]);
                continue;
            }

            text.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
        }

        return text.ToString();
    }

    /// <summary>Whether the text may be stored as it is: no NUL, no lone surrogate, not too long.</summary>
    public static bool IsClean(string value, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > maxLength)
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                return false;
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
