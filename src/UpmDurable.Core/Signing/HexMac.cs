using System.Security.Cryptography;

namespace UpmDurable.Core.Signing;

/// <summary>Constant-time comparison of a computed MAC or hash with the hex a request (or configuration) carries.</summary>
static class HexMac
{
    public static bool FixedTimeEquals(byte[] expected, string hex)
    {
        if (hex.Length != expected.Length * 2)
        {
            return false;
        }

        try
        {
            return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(hex));
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
