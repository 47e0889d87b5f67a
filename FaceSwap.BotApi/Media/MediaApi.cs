using FaceSwap.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FaceSwap.BotApi.Media;

/// <summary>
/// <c>GET /media/{blobKey}?expires=..&amp;sig=..</c>: a job's photo for the hosted engine, only with a valid, unexpired
/// signature. Everything else (no signature, wrong, expired, not a blob, gone) is the same 404, so the endpoint tells
/// a prober nothing.
/// </summary>
public static class MediaApi
{
    public static RouteGroupBuilder MapMediaApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/media").WithTags("Media");
        group.MapGet("/{blobKey}", GetAsync);
        return group;
    }

    public static async Task<Results<FileContentHttpResult, NotFound>> GetAsync(string blobKey, long? expires, string? sig,
        HttpContext context, MediaUrlSigner signer, BlobStore blobs, CancellationToken cancellationToken)
    {
        if (expires is null || !blobKey.StartsWith(QueueNames.BlobPrefix, StringComparison.Ordinal) || !signer.IsValid(blobKey, expires.Value, sig))
        {
            return TypedResults.NotFound();
        }

        if (await blobs.GetAsync(blobKey, cancellationToken) is not { } bytes)
        {
            return TypedResults.NotFound();
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(bytes, ContentTypeOf(bytes));
    }

    private static string ContentTypeOf(byte[] bytes) => bytes switch
    {
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x89, 0x50, 0x4E, 0x47, ..] => "image/png",
        [0x52, 0x49, 0x46, 0x46, _, _, _, _, 0x57, 0x45, 0x42, 0x50, ..] => "image/webp",
        _ => "application/octet-stream",
    };
}
