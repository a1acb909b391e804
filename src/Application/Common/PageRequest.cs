namespace Causeloop.Application.Common;

/// <summary>
/// <c>?limit=</c> (1–100, default 50) and <c>?cursor=</c>. Lists are ordered by id descending; ids are
/// UUIDv7, so that is newest first, and a cursor (the last id seen) stays valid while rows are inserted.
/// </summary>
public sealed record PageRequest(int Limit, Guid? After)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;

    public static PageRequest Parse(int? limit, string? cursor)
    {
        if (limit is { } l && (l < 1 || l > MaxLimit))
        {
            throw new BadRequestException("limit", $"limit must be between 1 and {MaxLimit}.");
        }

        Guid? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            after = Cursor.TryDecode(cursor, out var id) ? id : throw new BadRequestException("cursor", "The cursor is not valid.");
        }

        return new PageRequest(limit ?? DefaultLimit, after);
    }

    /// <summary>Builds the page from up to <see cref="Limit"/> + 1 rows read.</summary>
    public Page<T> ToPage<T>(IReadOnlyList<T> rows, Func<T, Guid> idOf)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(idOf);
        if (rows.Count <= Limit)
        {
            return new Page<T>(rows, null);
        }

        var data = rows.Take(Limit).ToArray();
        return new Page<T>(data, Cursor.Encode(idOf(data[^1])));
    }
}
