using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Confluent.Kafka;
using Google.Protobuf;
using StackExchange.Redis;
using Streaming.Contracts;
using Streaming.Messaging;

namespace Streaming.UnitTests.Messaging;

public sealed class FailureClassifierTests
{
    public static TheoryData<string, Exception> Permanent => new()
    {
        { "malformed", new MalformedMessageException("bad") },
        { "protobuf", CatchProtobuf() },
        { "json", new JsonException("bad json") },
        { "format", new FormatException("bad number") },
        { "argument (NaN in JSON)", new ArgumentException(".NET number values such as positive and negative infinity cannot be written as valid JSON.") },
        { "invalid data", new InvalidDataException("bad") },
        { "overflow", new OverflowException() },
        { "not supported", new NotSupportedException() },
        { "kafka message too large", new ProduceException<byte[], byte[]>(new Error(ErrorCode.MsgSizeTooLarge), new DeliveryResult<byte[], byte[]>()) },
        { "kafka invalid record", new KafkaException(ErrorCode.InvalidRecord) },
        { "redis command", new RedisCommandException("bad command") },
        { "one bad among transient", new AggregateException(new TimeoutException(), new JsonException()) },
    };

    public static TheoryData<string, Exception> Transient => new()
    {
        { "redis connection", new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "down", null, CommandStatus.Unknown) },
        { "redis timeout", new RedisTimeoutException(CommandFlags.None, "slow", CommandStatus.Sent) },
        { "redis loading", new RedisServerException(RedisErrorKind.Loading, CommandFlags.None, "LOADING Redis is loading the dataset in memory") },
        { "kafka transport", new KafkaException(ErrorCode.Local_Transport) },
        { "kafka all brokers down", new ProduceException<byte[], byte[]>(new Error(ErrorCode.Local_AllBrokersDown), new DeliveryResult<byte[], byte[]>()) },
        { "kafka message timed out", new ProduceException<byte[], byte[]>(new Error(ErrorCode.Local_MsgTimedOut), new DeliveryResult<byte[], byte[]>()) },
        { "timeout", new TimeoutException() },
        { "io", new IOException("reset") },
        { "socket", new SocketException((int)SocketError.ConnectionRefused) },
        { "http 503", new HttpRequestException("unavailable", null, HttpStatusCode.ServiceUnavailable) },
        { "http no answer", new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused)) },
        { "rabbitmq unreachable", new RabbitMQ.Client.Exceptions.BrokerUnreachableException(new IOException("refused")) },
        { "wrapped socket", new InvalidOperationException("send failed", new SocketException((int)SocketError.ConnectionReset)) },
        { "cancelled by a timeout", new TaskCanceledException("timed out", new TimeoutException()) },
        { "all transient", new AggregateException(new TimeoutException(), new RedisTimeoutException(CommandFlags.None, "slow", CommandStatus.Sent)) },
    };

    public static TheoryData<string, Exception> Unknown => new()
    {
        { "invalid operation", new InvalidOperationException("state") },
        { "null reference", new NullReferenceException() },
        { "redis script error", new RedisServerException(default, CommandFlags.None, "ERR Error running script") },
        { "missing file", new FileNotFoundException("model.pt") },
        { "http 404", new HttpRequestException("not found", null, HttpStatusCode.NotFound) },
        { "kafka fatal", new KafkaException(new Error(ErrorCode.Local_Fatal, "fatal", isFatal: true)) },
        { "cancelled for no known reason", new OperationCanceledException() },
    };

    [Theory]
    [MemberData(nameof(Permanent))]
    public void Classify_FailureOfTheMessageItself_Permanent(string name, Exception exception) =>
        Assert.True(FailureClassifier.Classify(exception) == FailureKind.Permanent, name);

    [Theory]
    [MemberData(nameof(Transient))]
    public void Classify_DependencyUnreachable_Transient(string name, Exception exception) =>
        Assert.True(FailureClassifier.Classify(exception) == FailureKind.Transient, name);

    [Theory]
    [MemberData(nameof(Unknown))]
    public void Classify_NeitherKnown_Unknown(string name, Exception exception) =>
        Assert.True(FailureClassifier.Classify(exception) == FailureKind.Unknown, name);

    [Fact]
    public void TransientTypeNames_EveryName_IsATypeOfTheLibrariesTheServicesUse()
    {
        var assemblies = new[]
        {
            typeof(RedisConnectionException).Assembly,
            typeof(RabbitMQ.Client.IConnection).Assembly,
            typeof(MassTransit.IBus).Assembly,
            typeof(MassTransit.ConnectionException).Assembly,
            typeof(MassTransit.MessageNotAcknowledgedException).Assembly,
            typeof(Polly.ResiliencePipeline).Assembly,
        };
        var missing = FailureClassifier.TransientTypeNames
            .Where(name => !assemblies.Any(a => a.GetType(name) is { } type && typeof(Exception).IsAssignableFrom(type)))
            .ToList();
        Assert.Empty(missing);
    }

    private static Exception CatchProtobuf()
    {
        try
        {
            ActivationEvent.Parser.ParseFrom([0xff, 0xff, 0xff, 0xff]);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return ex;
        }

        throw new InvalidOperationException("the bytes parsed");
    }
}
