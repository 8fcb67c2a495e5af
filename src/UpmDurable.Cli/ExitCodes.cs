namespace UpmDurable.Cli;

/// <summary>The documented exit codes of <c>upm</c>.</summary>
internal static class ExitCodes
{
    /// <summary>Done (for <c>--wait</c>: the change completed).</summary>
    public const int Ok = 0;

    /// <summary>The change did not complete (failed, rolled back, rejected, expired, aborted...), evidence did not verify, or the service refused the request (409, 5xx, unreachable).</summary>
    public const int Failed = 1;

    /// <summary>Usage: bad arguments, an unreadable or invalid input file, or a request the service found invalid (400).</summary>
    public const int Usage = 2;

    /// <summary>No or wrong API key (401), or the key's principal lacks the role (403).</summary>
    public const int Auth = 3;

    /// <summary>No such change (or route) for this caller (404).</summary>
    public const int NotFound = 4;

    /// <summary>The exit code for an HTTP error status.</summary>
    public static int ForStatus(int status) => status switch
    {
        400 or 422 => Usage,
        401 or 403 => Auth,
        404 => NotFound,
        _ => Failed,
    };
}
