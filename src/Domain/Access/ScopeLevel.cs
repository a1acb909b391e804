namespace Causeloop.Domain.Access;

public enum ScopeLevel
{
    Read,
    Write,
    Admin,
}
