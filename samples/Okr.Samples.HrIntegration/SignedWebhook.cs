using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using Okr.Core.Events;

namespace Okr.Samples.HrIntegration;

/// <summary>
/// The HMAC-SHA256 signature of a webhook: over <c>{event id}.{timestamp}.{body}</c> with a secret the sender and the
/// receiver share, sent as <c>Okr-Signature: sha256=&lt;hex&gt;</c> beside <c>Okr-Event-Id</c> and <c>Okr-Timestamp</c>.
/// </summary>
public static class WebhookSignature
{
    public static string Compute(byte[] secret, string eventId, string timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{eventId}.{timestamp}.{body}")));

    public static bool Verify(byte[] secret, string eventId, string timestamp, string body, string signature) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(secret, eventId, timestamp, body)), Encoding.ASCII.GetBytes(signature));
}

/// <summary>
/// Sends every event to an HTTP endpoint, signed. The dispatcher calls it outside the request that made the change;
/// a non-2xx answer throws, so the dispatcher retries the tenant's events from this one after a backoff.
/// </summary>
public sealed class SignedWebhookSubscriber(HttpClient http, Uri endpoint, byte[] secret, IClock clock) : IOkrEventSubscriber
{
    public async ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken)
    {
        var body = okrEvent.ToJson();
        var id = okrEvent.Id.ToString();
        var timestamp = clock.GetCurrentInstant().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Okr-Event-Id", id);
        request.Headers.Add("Okr-Timestamp", timestamp);
        request.Headers.Add("Okr-Signature", WebhookSignature.Compute(secret, id, timestamp, body));
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}

/// <summary>
/// A webhook receiver on 127.0.0.1, as the HR system's side would be: it checks the signature (constant time), refuses
/// a timestamp more than five minutes from its clock (a replay), and handles each event id once.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private static readonly Duration Tolerance = Duration.FromMinutes(5);
    private readonly HttpListener _listener = new();
    private readonly byte[] _secret;
    private readonly IClock _clock;
    private readonly Task _loop;
    private int _rejected;
    private int _repeats;

    private WebhookReceiver(byte[] secret, IClock clock)
    {
        (_secret, _clock) = (secret, clock);
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Endpoint = new Uri($"http://127.0.0.1:{port}/okr-events/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }

    /// <summary>The events handled, by id, with their types.</summary>
    public ConcurrentDictionary<Guid, string> Received { get; } = new();

    /// <summary>Requests refused: a wrong signature, a stale timestamp or a body that does not match its id.</summary>
    public int Rejected => Volatile.Read(ref _rejected);

    /// <summary>Deliveries of an id already handled (answered with success, not handled again).</summary>
    public int Repeats => Volatile.Read(ref _repeats);

    public static WebhookReceiver Start(byte[] secret, IClock clock) => new(secret, clock);

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _listener.Close();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            context.Response.StatusCode = Handle(context.Request.Headers["Okr-Event-Id"], context.Request.Headers["Okr-Timestamp"], context.Request.Headers["Okr-Signature"], body);
            context.Response.Close();
        }
    }

    private int Handle(string? id, string? timestamp, string? signature, string body)
    {
        if (id is null || timestamp is null || signature is null
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Duration.FromSeconds(Math.Abs(_clock.GetCurrentInstant().ToUnixTimeSeconds() - seconds)) > Tolerance
            || !WebhookSignature.Verify(_secret, id, timestamp, body, signature))
        {
            Interlocked.Increment(ref _rejected);
            return 401;
        }

        using var json = System.Text.Json.JsonDocument.Parse(body);
        var root = json.RootElement;
        if (root.GetProperty("id").GetString() != id)
        {
            Interlocked.Increment(ref _rejected);
            return 400;
        }

        if (!Received.TryAdd(Guid.Parse(id), root.GetProperty("type").GetString()!))
        {
            Interlocked.Increment(ref _repeats);
        }

        return 204;
    }
}
