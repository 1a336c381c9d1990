; callret: a call and a return, no privilege involved (N times): the baseline.
        .include "kernel.s"
NAME:   .asciz "callret: "

bench:  mov     r4, N
loop:   call    leaf
        sub     r4, 1
        jnz     loop
        jmp     report

leaf:   ret
