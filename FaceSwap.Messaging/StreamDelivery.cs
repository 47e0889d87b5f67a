namespace FaceSwap.Messaging;

/// <summary>One delivery of a stream entry: its id and how many times it has been delivered, this time included.</summary>
public sealed record StreamDelivery(string EntryId, int DeliveryCount);
