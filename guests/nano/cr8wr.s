; cr8wr: a write of the task priority register, `mov cr8, r1` (N times).
        .include "kernel.s"
NAME:   .asciz "cr8wr: "

bench:  mov     r4, N
        mov     r1, 0
loop:   mov     cr8, r1
        sub     r4, 1
        jnz     loop
        jmp     report
