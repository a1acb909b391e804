namespace Causeloop.Application.Abstractions;

/// <summary>Encrypts signing secrets at rest.</summary>
public interface ISecretProtector
{
    byte[] Protect(string secret);

    string Unprotect(byte[] protectedSecret);
}
