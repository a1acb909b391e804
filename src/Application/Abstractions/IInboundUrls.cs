namespace Causeloop.Application.Abstractions;

/// <summary>The absolute URL a source system posts to for a connector.</summary>
public interface IInboundUrls
{
    string UrlFor(Guid connectorId);
}
