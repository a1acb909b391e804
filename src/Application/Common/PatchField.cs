namespace Causeloop.Application.Common;

/// <summary>A PATCH field: absent (default; leave as is) or present with a value, which may be null.</summary>
public readonly record struct PatchField<T>(bool IsPresent, T Value)
{
    public T Or(T current) => IsPresent ? Value : current;
}
