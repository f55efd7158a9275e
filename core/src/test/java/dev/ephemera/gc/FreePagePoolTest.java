package dev.ephemera.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.PriorityQueue;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The free-page pool hands out the lowest page first, whatever order pages came back in. */
class FreePagePoolTest {

    @Test
    void pagesComeOutLowestFirstWhateverOrderTheyWentIn() {
        FreePagePool pool = new FreePagePool();
        int[] in = {7, 3, 9, 0, 5, 8, 1, 6, 2, 4};
        for (int page : in) {
            pool.push(page);
        }
        assertThat(pool.size()).isEqualTo(in.length);
        for (int expected = 0; expected < in.length; expected++) {
            assertThat(pool.popLowest()).isEqualTo(expected);
        }
        assertThat(pool.size()).isZero();
    }

    /**
     * Pushes, pops and a filter in a random mix, past several segments of the pool's storage,
     * against a priority queue: the same pages come out in the same order.
     */
    @Property(tries = 50)
    void behavesAsAPriorityQueueOfDistinctPages(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6000) int pages) {
        Random random = new Random(seed);
        FreePagePool pool = new FreePagePool();
        PriorityQueue<Integer> model = new PriorityQueue<>();
        boolean[] inPool = new boolean[pages];
        for (int step = 0; step < 3 * pages; step++) {
            int r = random.nextInt(100);
            if (r < 55) {
                int page = random.nextInt(pages);
                if (!inPool[page]) { // the space never pushes a page twice
                    pool.push(page);
                    model.add(page);
                    inPool[page] = true;
                }
            } else if (r < 99) {
                if (!model.isEmpty()) {
                    int page = pool.popLowest();
                    assertThat(page).as("step %d", step).isEqualTo(model.poll());
                    inPool[page] = false;
                }
            } else {
                int modulus = 2 + random.nextInt(5); // a released chunk: its pages leave the pool
                pool.retainIf(page -> page % modulus != 0);
                model.removeIf(page -> page % modulus == 0);
                for (int p = 0; p < pages; p += modulus) {
                    inPool[p] = false;
                }
            }
            assertThat(pool.size()).isEqualTo(model.size());
        }
        while (!model.isEmpty()) {
            assertThat(pool.popLowest()).isEqualTo(model.poll());
        }
    }

    @Test
    void retainingEverythingOrNothingKeepsThePoolUsable() {
        FreePagePool pool = new FreePagePool();
        for (int page = 20; page > 0; page--) {
            pool.push(page);
        }
        pool.retainIf(page -> true);
        assertThat(pool.popLowest()).isEqualTo(1);
        pool.retainIf(page -> false);
        assertThat(pool.size()).isZero();
        pool.push(12);
        pool.push(4);
        assertThat(pool.popLowest()).isEqualTo(4);
        pool.clear();
        assertThat(pool.size()).isZero();
    }

    @Test
    void takingFromAnEmptyPoolIsRefusedByName() {
        FreePagePool pool = new FreePagePool();
        assertThatThrownBy(pool::popLowest)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("FreePagePool.popLowest");
    }
}
