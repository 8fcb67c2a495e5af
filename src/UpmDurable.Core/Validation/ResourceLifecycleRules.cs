using UpmDurable.Core.Catalog;
using UpmDurable.Core.Model;

namespace UpmDurable.Core.Validation;

/// <summary>
/// The rules of a resource's <c>ensure</c> and <c>adopt</c> fields: <c>ensure</c> is one of <see cref="Ensures.All"/>, and a
/// <c>command</c> step (whose effect we cannot see) can neither delete nor adopt. Defaults are normalised away
/// (<c>ensure: present</c> and <c>adopt: false</c> become absent), so a request spelling out a default compiles to the same plan
/// hash as one that leaves it out.
/// </summary>
public static class ResourceLifecycleRules
{
    /// <summary>Adds an error per bad field under <paramref name="at"/> (e.g. <c>target.resources[0]</c>); answers the normalised resource.</summary>
    public static ResourceSpec Apply(ValidationErrors errors, string at, ResourceSpec resource)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(resource);
        bool command = resource.Type == Command.Type;
        if (resource.Ensure is { } ensure && !Ensures.All.Contains(ensure, StringComparer.Ordinal))
        {
            errors.Add($"{at}.ensure", $"One of: {string.Join(", ", Ensures.All)} (default {Ensures.Present}).");
        }
        else if (command && Ensures.IsAbsent(resource))
        {
            errors.Add($"{at}.ensure", "A command step cannot be 'absent': write the command that removes what you want removed.");
        }

        if (command && resource.Adopt == true)
        {
            errors.Add($"{at}.adopt", "Only resources of the catalog can be adopted; a command step has no resource to take over.");
        }

        return resource with
        {
            Ensure = resource.Ensure == Ensures.Present ? null : resource.Ensure,
            Adopt = resource.Adopt == true ? true : null,
        };
    }
}
