using Threadbook.Fibers;
using static Threadbook.Tests.Conformance.Greenlet.Greenlet;

namespace Threadbook.Tests.Conformance.Greenlet;

/// <summary>greenlet's <c>src/greenlet/tests/test_throw.py</c> (class <c>ThrowTests</c>), ported to <see cref="Fiber"/>.</summary>
[Trait("Category", "Conformance")]
public class ThrowTests
{
    [Fact]
    public void ThrowTests_test_class() => Run(() =>
    {
        void F()
        {
            try
            {
                SwitchToParent("ok");
            }
            catch (InvalidOperationException)
            {
                SwitchToParent("ok");
                return;
            }

            SwitchToParent("fail");
        }

        var g = new Fiber(F);
        g.Switch().Should().Be("ok");
        g.Throw(new InvalidOperationException()).Should().Be("ok");
    });

    [Fact]
    public void ThrowTests_test_val() => Run(() =>
    {
        void F()
        {
            try
            {
                SwitchToParent("ok");
            }
            catch (InvalidOperationException val)
            {
                if (val.Message == "ciao")
                {
                    SwitchToParent("ok");
                    return;
                }
            }

            SwitchToParent("fail");
        }

        // Python's throw(RuntimeError("ciao")) and throw(RuntimeError, "ciao") are one form in C#: an instance.
        var g = new Fiber(F);
        g.Switch().Should().Be("ok");
        g.Throw(new InvalidOperationException("ciao")).Should().Be("ok");

        g = new Fiber(F);
        g.Switch().Should().Be("ok");
        g.Throw(new InvalidOperationException("ciao")).Should().Be("ok");
    });

    [Fact]
    public void ThrowTests_test_kill() => Run(() =>
    {
        void F()
        {
            SwitchToParent("ok");
            SwitchToParent("fail");
        }

        var g = new Fiber(F);
        g.Switch().Should().Be("ok");
        g.Throw().Should().BeOfType<FiberExit>();
        g.IsDead.Should().BeTrue();
        g.Throw().Should().BeOfType<FiberExit>("immediately eaten by the already-dead fiber");
    });

    [Fact]
    public void ThrowTests_test_throw_goes_to_original_parent() => Run(() =>
    {
        var main = Fiber.Current;

        object? F1()
        {
            try
            {
                main.Switch("f1 ready to catch");
            }
            catch (ArgumentOutOfRangeException)
            {
                return "caught";
            }

            return "normal exit";
        }

        void F2() => main.Switch("from f2");

        var g1 = new Fiber(F1);
        var g2 = new Fiber(F2, parent: g1);
        Record.Exception(() => g2.Throw(new ArgumentOutOfRangeException())).Should().BeOfType<ArgumentOutOfRangeException>();
        g2.IsDead.Should().BeTrue();
        g1.IsDead.Should().BeTrue();

        g1 = new Fiber(F1);
        g2 = new Fiber(F2, parent: g1);
        g1.Switch().Should().Be("f1 ready to catch");
        g2.Throw(new ArgumentOutOfRangeException()).Should().Be("caught");
        g2.IsDead.Should().BeTrue();
        g1.IsDead.Should().BeTrue();

        g1 = new Fiber(F1);
        g2 = new Fiber(F2, parent: g1);
        g1.Switch().Should().Be("f1 ready to catch");
        g2.Switch().Should().Be("from f2");
        g2.Throw(new ArgumentOutOfRangeException()).Should().Be("caught");
        g2.IsDead.Should().BeTrue();
        g1.IsDead.Should().BeTrue();
    });
}
