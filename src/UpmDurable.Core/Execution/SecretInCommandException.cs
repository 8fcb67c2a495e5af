namespace UpmDurable.Core.Execution;

/// <summary>The command text carries a secret (a credential flag, connection-string key, SAS signature, bearer token, JWT, private key).</summary>
public sealed class SecretInCommandException : CommandRefusedException
{
    public SecretInCommandException(string kind, int position)
        : base("secret_in_command", $"a secret ({kind}) at position {position} must not be written into a command: commands are stored, logged and shown; name it as secretref:NAME in the step's properties for the provider to resolve (the cli provider authenticates itself)")
    {
        Kind = kind;
        Position = position;
    }

    /// <summary>What was recognised (e.g. <c>--account-key</c>, <c>AccountKey=</c>, <c>JWT</c>); never the value.</summary>
    public string Kind { get; }

    /// <summary>0-based character position where the secret (or its flag) starts.</summary>
    public int Position { get; }
}
