using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace QwenVlWeb.Services;

/// <summary>The addresses other devices on the LAN can open, worked out from what the server listens on.</summary>
public sealed class ShareAddresses(IServer server)
{
    /// <summary>
    /// The addresses to share; empty when the app listens on loopback only (then <see cref="LocalOnlyHint"/> applies).
    /// </summary>
    public IReadOnlyList<string> Get()
    {
        var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var result = new List<string>();
        foreach (var address in listening)
        {
            if (!Uri.TryCreate(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            {
                continue;
            }

            if (uri.Host is "0.0.0.0" or "[::]")
            {
                result.AddRange(LanIPv4().Select(ip => $"{uri.Scheme}://{ip}:{uri.Port}"));
            }
            else if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && !IPAddress.IsLoopback(ip))
            {
                result.Add($"{uri.Scheme}://{uri.Authority}");
            }
        }

        return [.. result.Distinct(StringComparer.Ordinal)];
    }

    public const string LocalOnlyHint = "Only this computer can open the page. To share it on your LAN, start the app with --urls http://0.0.0.0:5000 (and consider setting Web:AccessCode).";

    private static IEnumerable<IPAddress> LanIPv4()
    {
        NetworkInterface[] interfaces;
        try
        {
            interfaces = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            yield break;
        }

        foreach (var nic in interfaces)
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address))
                {
                    yield return unicast.Address;
                }
            }
        }
    }
}
