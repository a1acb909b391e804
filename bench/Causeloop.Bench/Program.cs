using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Causeloop.Domain.Signing;

if (args is ["claim", var connectionString, ..])
{
    return await ClaimBench.RunAsync(connectionString);
}

// Measures the signing rules against a baseline measured in the same run: the bare primitive doing the
// same cryptographic work (HMACSHA256.HashData + FixedTimeEquals). The ratio is what our code adds on
// top; it is stable on a shared, noisy machine where absolute numbers are not.
var secret = SigningSecret.Generate();
var key = secret.CauseloopKey;
var results = new List<string>();

foreach (var size in new[] { 256, 4 * 1024, 64 * 1024 })
{
    var body = new byte[size];
    RandomNumberGenerator.Fill(body);
    var header = PayloadSignature.Sign(secret, body);
    var expected = Convert.FromHexString(header);

    var baseline = Measure(() => CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, body), expected));
    var verify = Measure(() => PayloadSignature.Verify([secret], body, header));
    var standard = Measure(() => StandardWebhookSignature.Sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).Length > 0);
    results.Add(Row($"verify x-causeloop-signature, {size} B", verify, baseline));
    results.Add(Row($"sign webhook-signature,      {size} B", standard, baseline));
}

Console.WriteLine("operation                                  ns/op   baseline ns/op   ratio   bytes/op");
results.ForEach(Console.WriteLine);
return 0;

static (double NsPerOp, double BytesPerOp) Measure(Func<bool> operation)
{
    for (var i = 0; i < 2000; i++)
    {
        operation();
    }

    var best = double.MaxValue;
    var bytes = 0.0;
    for (var round = 0; round < 7; round++)
    {
        const int n = 5000;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            if (!operation())
            {
                throw new InvalidOperationException("verification failed during the benchmark");
            }
        }

        watch.Stop();
        best = Math.Min(best, watch.Elapsed.TotalMilliseconds * 1_000_000 / n);
        bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)n;
    }

    return (best, bytes);
}

static string Row(string name, (double NsPerOp, double BytesPerOp) measured, (double NsPerOp, double BytesPerOp) baseline) =>
    string.Create(CultureInfo.InvariantCulture,
        $"{name,-38} {measured.NsPerOp,9:0} {baseline.NsPerOp,16:0} {measured.NsPerOp / baseline.NsPerOp,7:0.00} {measured.BytesPerOp,10:0}");
