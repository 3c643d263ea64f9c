using Microsoft.Extensions.Options;

namespace Okr.Core.DependencyInjection;

/// <summary>
/// One change to an immutable options record, registered by a builder method (or the configuration binding) in the
/// order the host called them. A step reports what it cannot apply in the problem list instead of throwing.
/// </summary>
/// <typeparam name="T">The options type.</typeparam>
internal sealed class OptionsStep<T>(Func<T, List<string>, T> apply)
{
    public T Apply(T options, List<string> problems) => apply(options, problems);
}

/// <summary>
/// Makes an immutable options record the Microsoft.Extensions way: the defaults, then every registered step in order,
/// then every <see cref="IValidateOptions{TOptions}"/>. Every problem (a configuration value that does not parse, a
/// setting a validator refuses) is collected, and together they throw one <see cref="OptionsValidationException"/>:
/// at start-up under <c>ValidateOnStart</c>, or on first use otherwise.
/// </summary>
/// <typeparam name="T">The options type.</typeparam>
internal sealed class StepOptionsFactory<T>(IEnumerable<OptionsStep<T>> steps, IEnumerable<IValidateOptions<T>> validators) : IOptionsFactory<T>
    where T : class, new()
{
    public T Create(string name)
    {
        var problems = new List<string>();
        var options = new T();
        foreach (var step in steps)
        {
            try
            {
                options = step.Apply(options, problems);
            }
            catch (OkrValidationException ex)
            {
                problems.AddRange(ex.Violations.Select(v => v.ToString()));
            }
        }

        foreach (var validator in validators)
        {
            if (validator.Validate(name, options) is { Failed: true } result)
            {
                problems.AddRange(result.Failures ?? []);
            }
        }

        return problems.Count == 0 ? options : throw new OptionsValidationException(name, typeof(T), problems);
    }
}
