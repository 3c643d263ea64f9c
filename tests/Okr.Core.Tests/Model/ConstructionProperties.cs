using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Okr.Core.Tests.Model;

/// <summary>Invalid input never yields a constructed object; valid input is never refused.</summary>
public class ConstructionProperties
{
    private static readonly Gen<string> RawText = Gen.OneOf(
        Gen.Elements("", " ", "\t", "ok", "two\nlines", "bell\a", "ünïcode 🚀", new string('x', 256), new string('x', 257), new string('y', 501)),
        ArbMap.Default.GeneratorFor<string>().Where(s => s is not null));

    private static readonly Gen<double> RawWeight = Gen.OneOf(
        Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.0, -1e-300, 1e300, double.MaxValue),
        ArbMap.Default.GeneratorFor<double>());

    [Property(MaxTest = 300)]
    public Property Owner_exists_exactly_when_its_id_is_valid() =>
        Prop.ForAll(RawText.ToArbitrary(), id =>
        {
            var valid = !string.IsNullOrWhiteSpace(id) && id.Length <= OwnerRef.MaxExternalIdLength && !id.Any(char.IsControl);
            return Constructs(() => OwnerRef.Team(id)) == valid;
        });

    [Property(MaxTest = 300)]
    public Property Key_result_exists_exactly_when_title_and_weight_are_valid() =>
        Prop.ForAll(RawText.Zip(RawWeight).ToArbitrary(), input =>
        {
            var (title, weight) = input;
            var valid = !string.IsNullOrWhiteSpace(title) && title.Length <= KeyResult.MaxTitleLength && !title.Any(char.IsControl)
                && double.IsFinite(weight) && weight >= 0;
            return Constructs(() => new KeyResult(new KeyResultId(Guid.NewGuid()), title, new MilestoneMeasure(), weight)) == valid;
        });

    private static bool Constructs<T>(Func<T> make)
    {
        try
        {
            return make() is not null;
        }
        catch (OkrValidationException)
        {
            return false;
        }
    }
}
